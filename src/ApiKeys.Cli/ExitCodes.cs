namespace ApiKeys.Cli;

/// <summary>The exit codes of every command (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A failure the user can fix; the reason is on stderr.</summary>
    public const int Failure = 1;

    /// <summary>A usage error: unknown command or option, a missing argument, a key on the command line.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;
}
