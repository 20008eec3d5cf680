namespace ApiKeys.Cli.Checks;

/// <summary>One finding of <c>apikeys doctor</c>: <c>ok</c>, <c>warn</c> or <c>error</c>, with its fix.</summary>
internal sealed record Finding(string Level, string Message, string? Fix);
