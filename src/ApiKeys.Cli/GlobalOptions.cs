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

    /// <summary>A fresh <c>--json</c> option for a command that lists something.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write JSON (masks and ids only, never a key) for scripts." };

    /// <summary>A fresh <c>--yes</c> option for a command that asks for a confirmation.</summary>
    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for a confirmation." };
}
