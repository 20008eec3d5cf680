using System.CommandLine;

namespace ApiKeys.Cli;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Dir { get; } = new("--dir", "-d")
    {
        Description = "The store directory (default: APIKEYS_DIR, else the current directory).",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show the library's information messages, and stack traces with errors.",
        Recursive = true,
    };

    public Option<string?> PassphraseFile { get; } = new("--passphrase-file")
    {
        Description = "Read the passphrase of an encrypted store from the first line of this file (mode 0600); else APIKEYS_PASSPHRASE, else a hidden prompt.",
        HelpName = "PATH",
        Recursive = true,
    };

    public Option<bool> AllowShared { get; } = new("--allow-shared")
    {
        Description = "Use a store whose files the group or others can read (refused by default).",
        Recursive = true,
    };

    /// <summary>A fresh <c>--json</c> option for a command that lists something.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write JSON (masks and ids only, never a key) for scripts." };

    /// <summary>A fresh <c>--yes</c> option for a command that asks for a confirmation.</summary>
    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for a confirmation." };
}
