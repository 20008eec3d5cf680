namespace ApiKeys.Cli.Terminal;

/// <summary>Everything a command reads and writes: the real console in the tool, strings in the in-process tests.</summary>
internal abstract class CliConsole
{
    /// <summary>Standard output, raw: commands write through <see cref="CliContext.Out"/>, which redacts.</summary>
    public abstract TextWriter Out { get; }

    /// <summary>Standard error, raw: commands write through <see cref="CliContext.Error"/>, which redacts.</summary>
    public abstract TextWriter Error { get; }

    /// <summary>Whether standard input is a terminal (a person typing) rather than a pipe or a file.</summary>
    public abstract bool IsInputTerminal { get; }

    /// <summary>Whether standard output is a terminal (colour allowed unless NO_COLOR).</summary>
    public abstract bool IsOutputTerminal { get; }

    /// <summary>Reads one line of standard input; null at the end of input.</summary>
    public abstract string? ReadLine();

    /// <summary>Writes <paramref name="prompt"/> to <paramref name="promptWriter"/> (stdout or stderr) and reads one line with nothing echoed; null at the end of input.</summary>
    public abstract string? ReadSecret(string prompt, TextWriter promptWriter);

    /// <summary>
    /// Asks a yes/no question on the terminal even when standard input carries data (<c>rotate --stdin</c>);
    /// null when there is no terminal to ask on.
    /// </summary>
    public abstract bool? ConfirmOnTerminal(string prompt);

    /// <summary>An environment variable, or null.</summary>
    public abstract string? GetEnvironmentVariable(string name);

    /// <summary>Every environment variable (for <c>import --env</c>).</summary>
    public abstract IReadOnlyDictionary<string, string> GetEnvironmentVariables();

    /// <summary>Writes <paramref name="prompt"/> to <paramref name="writer"/> and reads a yes/no answer from standard input; false at the end of input.</summary>
    public bool Ask(string prompt, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(prompt);
        writer.Flush();
        var answer = ReadLine();
        if (answer is null)
        {
            writer.WriteLine();
            return false;
        }

        return IsYes(answer);
    }

    /// <summary>Whether an answer means yes.</summary>
    public static bool IsYes(string answer) =>
        answer.Trim() is { } a && (a.Equals("y", StringComparison.OrdinalIgnoreCase) || a.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
