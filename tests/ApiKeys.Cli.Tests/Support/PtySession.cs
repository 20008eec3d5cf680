using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>
/// The tool on a real pseudo-terminal (util-linux <c>script</c> allocates it): the test types as a person would,
/// after the prompt is on the screen, and reads the screen as the terminal shows it, echo included.
/// </summary>
internal sealed partial class PtySession : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly object _gate = new();
    private readonly Thread _reader;
    private int _seen;

    private PtySession(string shellCommand, bool noColor = true)
    {
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-q", "-e", "-c", shellCommand, "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }

        if (noColor)
        {
            start.Environment["NO_COLOR"] = "1";
        }
        else
        {
            start.Environment.Remove("NO_COLOR");
        }

        start.Environment["TERM"] = "xterm";
        _process = Process.Start(start)!;
        _reader = new Thread(Pump) { IsBackground = true };
        _reader.Start();
    }

    /// <summary>The tool's console on <paramref name="dir"/>.</summary>
    public static PtySession Start(string dir, params string[] args) => new("exec " + CliBinary.ShellCommand(dir, args));

    /// <summary>The tool on <paramref name="dir"/> with NO_COLOR unset (TERM=xterm): colour allowed.</summary>
    public static PtySession StartInColour(string dir, params string[] args) => new("exec " + CliBinary.ShellCommand(dir, args), noColor: false);

    /// <summary>Any shell command line on the terminal.</summary>
    public static PtySession StartShell(string command) => new(command);

    /// <summary>Everything the terminal showed: carriage returns and colour escapes removed.</summary>
    public string Screen
    {
        get
        {
            lock (_gate)
            {
                return Ansi().Replace(_screen.ToString().Replace("\r", "", StringComparison.Ordinal), "");
            }
        }
    }

    public string[] Lines => Screen.Split('\n');

    /// <summary>Every character the terminal received, escape sequences included (carriage returns removed).</summary>
    public string RawScreen
    {
        get
        {
            lock (_gate)
            {
                return _screen.ToString().Replace("\r", "", StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Waits until <paramref name="text"/> is shown after what earlier waits consumed.</summary>
    public void WaitFor(string text)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        lock (_gate)
        {
            while (true)
            {
                string screen = Screen;
                int at = screen.IndexOf(text, _seen, StringComparison.Ordinal);
                if (at >= 0)
                {
                    _seen = at + text.Length;
                    return;
                }

                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero || (_process.HasExited && !_reader.IsAlive))
                {
                    Assert.Fail($"'{text}' never appeared on the terminal. Screen:\n{screen}");
                }

                // Woken by the reader thread as soon as output arrives (no sleeping).
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Types <paramref name="text"/> on the keyboard.</summary>
    public void Type(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    public int WaitForExit()
    {
        Assert.True(_process.WaitForExit(60_000), $"the session did not end. Screen:\n{Screen}");
        _reader.Join(10_000);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Pump()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[4096];
        var stream = _process.StandardOutput.BaseStream;
        int n;
        while ((n = stream.Read(bytes, 0, bytes.Length)) > 0)
        {
            int c = decoder.GetChars(bytes, 0, n, chars, 0);
            lock (_gate)
            {
                _screen.Append(chars, 0, c);
                Monitor.PulseAll(_gate);
            }
        }

        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    [GeneratedRegex("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[()][0-9A-Za-z]|\u001b[=>]")]
    private static partial Regex Ansi();
}
