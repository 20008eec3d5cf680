namespace ApiKeys.Cli.Output;

/// <summary>The few colours the tool uses (only on a terminal, never with NO_COLOR).</summary>
internal enum Paint
{
    Green,
    Yellow,
    Red,
    Dim,
}
