using ApiKeys.Cli.Output;
using ApiKeys.Cli.Terminal;
using ApiKeys.Security;

namespace ApiKeys.Cli;

/// <summary>What every command gets: the console, the clock, and the global options of this run.</summary>
internal sealed class CliContext : IDisposable
{
    public CliContext(CliConsole console, TimeProvider? timeProvider = null)
    {
        Console = console;
        Time = timeProvider ?? TimeProvider.System;
        Stores = new StoreOpener(this);
    }

    public CliConsole Console { get; }

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public TimeProvider Time { get; }

    /// <summary>Opens the store named by <c>--dir</c> / <c>APIKEYS_DIR</c> / the current directory.</summary>
    public StoreOpener Stores { get; }

    /// <summary><c>--dir</c>, if given.</summary>
    public string? DirectoryOption { get; set; }

    /// <summary><c>--verbose</c>: library information on stderr, stack traces with errors.</summary>
    public bool Verbose { get; set; }

    /// <summary><c>--passphrase-file</c>, if given.</summary>
    public string? PassphraseFile { get; set; }

    /// <summary><c>--allow-shared</c>: use a store the group or others can read.</summary>
    public bool AllowShared { get; set; }

    /// <summary>
    /// The key derivation parameters of encrypted stores: null (the library's defaults, 600,000 iterations) in the tool;
    /// in-process tests lower them here, as the library's own tests do. No option or variable reaches it.
    /// </summary>
    public PassphraseProtectorOptions? ProtectorOptions { get; init; }

    /// <summary>The store directory: <c>--dir</c>, else <c>APIKEYS_DIR</c>, else the current directory (the seed's behaviour).</summary>
    public string StoreDirectory
    {
        get
        {
            var dir = DirectoryOption;
            if (string.IsNullOrWhiteSpace(dir))
            {
                dir = Console.GetEnvironmentVariable(ApiKeyManager.DirectoryVariable);
            }

            return Path.GetFullPath(string.IsNullOrWhiteSpace(dir) ? Directory.GetCurrentDirectory() : dir);
        }
    }

    /// <summary>Colour on standard output: only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb.</summary>
    public bool Color =>
        Console.IsOutputTerminal
        && string.IsNullOrEmpty(Console.GetEnvironmentVariable("NO_COLOR"))
        && Console.GetEnvironmentVariable("TERM") is not "dumb";

    /// <summary>Paints <paramref name="text"/> when colour is on.</summary>
    public string Paint(string text, Paint paint) => Color ? PaintExtensions.Apply(text, paint) : text;

    /// <summary>Clears the key material of the run's encrypted store from memory.</summary>
    public void Dispose() => Stores.Dispose();
}
