using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ApiKeys.Cli.Terminal;

/// <summary>
/// The process's console. Standard input is read through one UTF-8 reader over the raw stream (never
/// <see cref="Console.ReadLine"/>, which echoes by itself on a terminal), so the hidden prompt only has to turn
/// the terminal's echo off. Standard output and error are written to their file descriptors (<see cref="StandardStream"/>),
/// never through <see cref="Console.Out"/>, whose first write on a terminal sends the keypad-mode escape sequence.
/// </summary>
internal sealed class SystemConsole : CliConsole, IDisposable
{
    // File descriptor 0 itself: Console.OpenStandardInput() on a terminal goes through .NET's line editor, which echoes
    // what is typed by itself (so turning the terminal's echo off would not hide a key).
    private readonly Lazy<StreamReader> _in = new(() => new StreamReader(
        OperatingSystem.IsWindows() ? Console.OpenStandardInput() : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1),
        new UTF8Encoding(false), false, 256));
    private readonly PosixSignalRegistration? _interrupt;

    public SystemConsole()
    {
        IsInputTerminal = !Console.IsInputRedirected && (OperatingSystem.IsWindows() || Termios.IsTerminal(0));
        IsOutputTerminal = !Console.IsOutputRedirected;
        Out = OperatingSystem.IsWindows() ? Console.Out : Writer(1);
        Error = OperatingSystem.IsWindows() ? Console.Error : Writer(2);
        if (!OperatingSystem.IsWindows())
        {
            // Ctrl-C: give the terminal its echo back and end the prompt's line; every store write is atomic,
            // so leaving here leaves nothing half-written. The runtime then exits with 130.
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ =>
            {
                Termios.Restore();
                Out.WriteLine();
            });
        }
    }

    public override TextWriter Out { get; }

    public override TextWriter Error { get; }

    public override bool IsInputTerminal { get; }

    public override bool IsOutputTerminal { get; }

    public override string? ReadLine() => _in.Value.ReadLine();

    public override string? ReadSecret(string prompt, TextWriter promptWriter)
    {
        ArgumentNullException.ThrowIfNull(promptWriter);
        if (OperatingSystem.IsWindows() && !Console.IsInputRedirected)
        {
            return ReadSecretWithReadKey(prompt, promptWriter);
        }

        bool hidden = IsInputTerminal && Termios.IsSupported && Termios.DisableEcho();
        try
        {
            promptWriter.Write(prompt);
            promptWriter.Flush();
            var line = _in.Value.ReadLine();

            // The Enter key was not echoed (or came from a pipe, or input ended): end the prompt's line as getpass does.
            promptWriter.WriteLine();
            return line;
        }
        finally
        {
            if (hidden)
            {
                Termios.Restore();
            }
        }
    }

    /// <summary>
    /// Standard output or error on Unix, written to the file descriptor (<see cref="StandardStream"/>: no escape sequence
    /// from .NET's console), one write a call, so a prompt shows before the read that follows it.
    /// </summary>
    private static TextWriter Writer(int fileDescriptor) =>
        TextWriter.Synchronized(new StreamWriter(new StandardStream(fileDescriptor), new UTF8Encoding(false), 256) { AutoFlush = true, NewLine = "\n" });

    /// <summary>Windows has no termios: read key by key without echo (Ctrl-C still ends the process).</summary>
    private static string? ReadSecretWithReadKey(string prompt, TextWriter promptWriter)
    {
        promptWriter.Write(prompt);
        promptWriter.Flush();
        var line = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                promptWriter.WriteLine();
                return line.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                line.Length = Math.Max(0, line.Length - 1);
            }
            else if (key.Key == ConsoleKey.Z && key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0)
            {
                promptWriter.WriteLine();
                return null;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                line.Append(key.KeyChar);
            }
        }
    }

    public override bool? ConfirmOnTerminal(string prompt)
    {
        if (IsInputTerminal)
        {
            return Ask(prompt, Out);
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            using var tty = new FileStream("/dev/tty", FileMode.Open, FileAccess.ReadWrite);
            using var writer = new StreamWriter(tty, new UTF8Encoding(false), 256, leaveOpen: true) { AutoFlush = true };
            using var reader = new StreamReader(tty, new UTF8Encoding(false), false, 256, leaveOpen: true);
            writer.Write(prompt);
            var answer = reader.ReadLine();
            return answer is not null && IsYes(answer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public override IReadOnlyDictionary<string, string> GetEnvironmentVariables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    public void Dispose()
    {
        _interrupt?.Dispose();
        Out.Flush();
        Error.Flush();
        if (_in.IsValueCreated)
        {
            _in.Value.Dispose();
        }
    }
}
