using ApiKeys.Cli.Output;
using ApiKeys.Cli.Terminal;
using ApiKeys.Security;

namespace ApiKeys.Cli;

/// <summary>What every command gets: the console, the clock, and the global options of this run.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly List<string> _hidden = [];
    private Func<SecretRedactor> _redactor = static () => SecretRedactor.Default;

    public CliContext(CliConsole console, TimeProvider? timeProvider = null)
    {
        Console = console;
        Time = timeProvider ?? TimeProvider.System;
        Stores = new StoreOpener(this);
        Out = new RedactingWriter(console.Out, Redact);
        Error = new RedactingWriter(console.Error, Redact);
    }

    /// <summary>The raw console: read from it; write through <see cref="Out"/> and <see cref="Error"/>, which redact.</summary>
    public CliConsole Console { get; }

    /// <summary>Standard output, redacted (<see cref="Redact"/>).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error, redacted (<see cref="Redact"/>).</summary>
    public TextWriter Error { get; }

    public TimeProvider Time { get; }

    /// <summary>Opens the store named by <c>--dir</c> / <c>APIKEYS_DIR</c> / the current directory.</summary>
    public StoreOpener Stores { get; }

    /// <summary><c>--dir</c>, if given.</summary>
    public string? DirectoryOption { get; set; }

    /// <summary><c>--verbose</c>: library information on stderr, stack traces with errors.</summary>
    public bool Verbose { get; set; }

    /// <summary><c>--passphrase-file</c>, if given.</summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Every value of the command line, with its option (checked for keys: <see cref="ArgumentGuard"/>).</summary>
    public IReadOnlyList<(string? Option, string Value)> Arguments { get; set; } = [];

    /// <summary><c>--allow-shared</c>: use a store the group or others can read.</summary>
    public bool AllowShared { get; set; }

    /// <summary>
    /// The key derivation parameters of encrypted stores: null (the library's defaults, 600,000 iterations) in the tool;
    /// in-process tests lower them here, as the library's own tests do. No option or variable reaches it.
    /// </summary>
    public PassphraseProtectorOptions? ProtectorOptions { get; init; }

    /// <summary>Asks a yes/no question on standard output and reads the answer from standard input; false at the end of input.</summary>
    public bool Ask(string prompt) => Console.Ask(prompt, Out);

    /// <summary>Asks for a secret on standard output and reads it with nothing echoed, not even asterisks; null at the end of input.</summary>
    public string? ReadSecret(string prompt) => Console.ReadSecret(prompt, Out);

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

    /// <summary>
    /// Masks secrets in text about to be shown: the keys of the pool opened last (any shape) and every key-shaped token
    /// (<see cref="SecretRedactor.Default"/> while no pool is open), credentials in connection strings
    /// (<see cref="ConnectionSecrets"/>), and each value given to <see cref="Hide"/>.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ConnectionSecrets.Mask(text);
        lock (_hidden)
        {
            foreach (var hidden in _hidden)
            {
                text = text.Replace(hidden, "***", StringComparison.Ordinal);
            }
        }

        return Volatile.Read(ref _redactor)().Redact(text);
    }

    /// <summary>
    /// Masks <paramref name="secret"/> as <c>***</c> in everything shown from now on (a password in a connection string);
    /// one shorter than <see cref="ConnectionSecrets.MinHiddenLength"/> would mask ordinary letters and is left to the patterns.
    /// </summary>
    public void Hide(string secret)
    {
        if (secret is { Length: >= ConnectionSecrets.MinHiddenLength })
        {
            lock (_hidden)
            {
                _hidden.Add(secret);
                _hidden.Sort((a, b) => b.Length.CompareTo(a.Length));
            }
        }
    }

    /// <summary>Redacts the output with <paramref name="pool"/>'s redactor, which knows its keys whatever their shape.</summary>
    public void RedactWith(ApiKeyManager pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Volatile.Write(ref _redactor, () => pool.Redactor);
    }

    /// <summary>Writes what is held of the last lines, and clears the key material of the run's encrypted store from memory.</summary>
    public void Dispose()
    {
        Out.Flush();
        Error.Flush();
        Stores.Dispose();
    }
}
