using ApiKeys.Cli.Terminal;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>The in-process console: input from a string, output into strings, a chosen environment.</summary>
internal sealed class TestConsole(string input = "") : CliConsole, IDisposable
{
    private readonly StringReader _in = new(input);
    private readonly StringWriter _out = new() { NewLine = "\n" };
    private readonly StringWriter _error = new() { NewLine = "\n" };

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers given on "the terminal" while stdin carries data; empty: no terminal.</summary>
    public Queue<bool> TerminalAnswers { get; } = new();

    public bool InputTerminal { get; set; }

    public bool OutputTerminal { get; set; }

    public List<string> SecretPrompts { get; } = [];

    public override TextWriter Out => _out;

    public override TextWriter Error => _error;

    public override bool IsInputTerminal => InputTerminal;

    public override bool IsOutputTerminal => OutputTerminal;

    public string StandardOutput => _out.ToString();

    public string StandardError => _error.ToString();

    public override string? ReadLine() => _in.ReadLine();

    public override string? ReadSecret(string prompt, TextWriter promptWriter)
    {
        SecretPrompts.Add(prompt);
        promptWriter.Write(prompt);
        var line = _in.ReadLine();
        promptWriter.WriteLine();
        return line;
    }

    public override bool? ConfirmOnTerminal(string prompt) => TerminalAnswers.Count > 0 ? TerminalAnswers.Dequeue() : null;

    public override string? GetEnvironmentVariable(string name) => Environment.GetValueOrDefault(name);

    public override IReadOnlyDictionary<string, string> GetEnvironmentVariables() => Environment;

    public void Dispose()
    {
        _in.Dispose();
        _out.Dispose();
        _error.Dispose();
    }
}
