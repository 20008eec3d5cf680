using System.CommandLine;
using System.Globalization;
using ApiKeys.Cli.Checks;
using ApiKeys.Cli.Output;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys doctor</c>: checks the store the way an attacker or an outage would find it (modes, git, readability,
/// too few usable keys, old keys) and prints each finding with its fix. Exit code 1 when something needs fixing.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var fix = new Option<bool>("--fix") { Description = "First take the group's and others' access away: the directory 0700, its files 0600 (never through a symbolic link)." };
        var command = new Command("doctor", "Check the store: file and directory modes, git, readability, usable keys, key age; each finding with its fix.")
        {
            json,
            fix,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(fix))
            {
                ModeFix.Run(context, context.StoreDirectory);
            }

            var findings = Examine(context);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var f in findings)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("level", f.Level);
                        writer.WriteString("message", f.Message);
                        JsonOutput.WriteNullable(writer, "fix", f.Fix);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                foreach (var f in findings)
                {
                    string level = f.Level switch
                    {
                        "ok" => context.Paint("ok   ", Paint.Green),
                        "warn" => context.Paint("warn ", Paint.Yellow),
                        _ => context.Paint("error", Paint.Red),
                    };
                    context.Out.WriteLine(f.Fix is null ? $"{level} {f.Message}" : $"{level} {f.Message}; fix: {f.Fix}");
                }

                int problems = findings.Count(f => f.Level != "ok");
                context.Out.WriteLine(problems == 0
                    ? "No problems found."
                    : string.Create(CultureInfo.InvariantCulture, $"{problems} problem{(problems == 1 ? "" : "s")} found."));
            }

            return findings.Any(f => f.Level != "ok") ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    internal static List<Finding> Examine(CliContext context)
    {
        var findings = new List<Finding>();
        string dir = context.StoreDirectory;
        if (!Directory.Exists(dir))
        {
            findings.Add(new("error", $"no store directory at {dir}", $"apikeys init --dir {dir}"));
            return findings;
        }

        var store = context.Stores.OpenStore();

        CheckMode(findings, dir, directory: true);
        var files = new List<string> { store.KeysPath, store.StatesPath };
        files.AddRange(Directory.GetFiles(dir, $"{StoreBackup.KeysPrefix}*.json").Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetFiles(dir, $"{StoreBackup.StatesPrefix}*.json").Order(StringComparer.Ordinal));
        foreach (var file in files.Where(File.Exists))
        {
            CheckMode(findings, file, directory: false);
            CheckReadable(findings, file);
        }

        if (!File.Exists(store.KeysPath))
        {
            findings.Add(new("warn", $"no {JsonKeyStore.KeysFileName} in {dir}", $"apikeys init --dir {dir}, then apikeys add"));
        }

        GitCheck.Run(findings, dir, store.KeysPath);
        CheckPool(context, findings);
        return findings;
    }

    private static void CheckMode(List<Finding> findings, string path, bool directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (ModeFix.LinkTarget(path) is { } target)
        {
            findings.Add(directory
                ? new("warn", $"{path} is a symbolic link to {target}: doctor --fix does not change modes through it", $"apikeys doctor --dir {target}")
                : new("warn", $"{path} is a symbolic link to {target}: doctor --fix does not change modes through it, and the store replaces it with a file at its next write",
                    $"replace the link with the file itself (cp --remove-destination {target} {path})"));
            return;
        }

        var mode = File.GetUnixFileMode(path);
        string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
        if ((mode & StorePermissions.GroupOrOthers) != 0)
        {
            findings.Add(new("warn", $"{path} is open to group or others (mode {octal})", $"chmod {(directory ? "700" : "600")} {path}"));
        }
        else
        {
            findings.Add(new("ok", $"{path} (mode {octal})", null));
        }
    }

    private static void CheckReadable(List<Finding> findings, string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (UnauthorizedAccessException)
        {
            findings.Add(new("error", $"{path} cannot be read: Permission denied", $"chmod u+r {path}, or run as its owner"));
        }
        catch (IOException e)
        {
            findings.Add(new("error", $"{path} cannot be read: {e.Message}", "check the disk and the file"));
        }
    }

    private static void CheckPool(CliContext context, List<Finding> findings)
    {
        ApiKeyManager manager;
        try
        {
            // Doctor reports modes itself (above) rather than refusing the store.
            manager = context.Stores.Open(checkPermissions: false);
        }
        catch (KeyStoreException e)
        {
            string message = StoreErrors.Describe(e);
            int fix = message.LastIndexOf("; fix: ", StringComparison.Ordinal);
            findings.Add(fix < 0 ? new("error", message, null) : new("error", message[..fix], message[(fix + "; fix: ".Length)..]));
            return;
        }

        using (manager)
        {
            var health = manager.GetHealth();
            var statuses = manager.GetStatuses();
            if (health.UsableKeys < manager.Options.MinimumUsableKeys)
            {
                findings.Add(new("warn",
                    string.Create(CultureInfo.InvariantCulture, $"only {health.UsableKeys} usable key{(health.UsableKeys == 1 ? "" : "s")} of {health.TotalKeys}: the seed advises at least {manager.Options.MinimumUsableKeys} active keys"),
                    "apikeys add (and apikeys status --why for the keys not in use)"));
            }
            else
            {
                findings.Add(new("ok", string.Create(CultureInfo.InvariantCulture, $"{health.UsableKeys} usable keys of {health.TotalKeys}"), null));
            }

            var now = context.Time.GetUtcNow();
            foreach (var id in health.KeysDueForRotation)
            {
                var s = statuses.First(x => x.Id == id);
                findings.Add(new("warn",
                    string.Create(CultureInfo.InvariantCulture, $"key {s.Number}. {s.Mask} was added {(int)(now - s.AddedAt).TotalDays} days ago: rotate keys quarterly"),
                    string.Create(CultureInfo.InvariantCulture, $"create a new key, apikeys add it, then apikeys remove {s.Number} (or apikeys rotate --stdin)")));
            }
        }
    }
}
