using System.Diagnostics;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Checks;

/// <summary>
/// The doctor's git check: a store inside a git work tree must be ignored (the seed: "Add .json files to
/// .gitignore"), and must never have been committed. Asks git itself, so every ignore rule counts.
/// </summary>
internal static class GitCheck
{
    // HOME and XDG_CONFIG_HOME locate the user's core.excludesFile (an ignore rule counts wherever it is written).
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "XDG_CONFIG_HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TMPDIR", "SystemRoot",
        "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CEILING_DIRECTORIES",
    };

    public static void Run(List<Finding> findings, string dir, string keysPath)
    {
        string? root = null;
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git")))
            {
                root = d.FullName;
                break;
            }
        }

        if (root is null)
        {
            findings.Add(new("ok", $"{dir} is not inside a git work tree", null));
            return;
        }

        string name = JsonKeyStore.KeysFileName;
        int? tracked = Git(dir, "ls-files", "--error-unmatch", "--", name);
        if (tracked is null)
        {
            findings.Add(new("warn", $"{dir} is inside the git work tree {root} and git could not be run to check it", $"make sure {name} is ignored (apikeys init writes a .gitignore)"));
            return;
        }

        if (tracked == 0)
        {
            findings.Add(new("error", $"{keysPath} is committed to the git repository {root}: its keys are in the history",
                $"git rm --cached {keysPath}, run apikeys init, and replace every key (apikeys rotate --stdin)"));
            return;
        }

        int? ignored = Git(dir, "check-ignore", "-q", "--no-index", "--", name);
        findings.Add(ignored == 0
            ? new("ok", $"{name} is ignored by git (work tree {root})", null)
            : new("warn", $"{dir} is inside the git work tree {root} and {name} is not ignored: a git add . would commit the keys",
                $"apikeys init --dir {dir} (writes a .gitignore), or add api_keys*.json and api_key_states*.json to {Path.Combine(root, ".gitignore")}"));
    }

    /// <summary>
    /// git gets only what it needs to find the program and the user's ignore rules: APIKEYS_PASSPHRASE, GEMINI_KEY_1 and
    /// the like are not its business, and git passes its environment on to hooks, pagers and credential helpers.
    /// GIT_DIR and its kind are dropped too: the question is about the work tree around the store, wherever git was pointed.
    /// </summary>
    internal static void Scrub(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.ToList())
        {
            if (!Kept.Contains(name) || environment[name] is not { } value || ArgumentGuard.HoldsKey(value, SecretRedactor.Default))
            {
                environment.Remove(name);
            }
        }
    }

    private static int? Git(string dir, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            Scrub(start.Environment);
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode is 0 or 1 ? process.ExitCode : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
