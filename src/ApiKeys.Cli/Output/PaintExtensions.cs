namespace ApiKeys.Cli.Output;

/// <summary>ANSI escapes for <see cref="Paint"/>.</summary>
internal static class PaintExtensions
{
    public static string Apply(string text, Paint paint) => paint switch
    {
        Paint.Green => $"\u001b[32m{text}\u001b[0m",
        Paint.Yellow => $"\u001b[33m{text}\u001b[0m",
        Paint.Red => $"\u001b[31m{text}\u001b[0m",
        _ => $"\u001b[2m{text}\u001b[0m",
    };
}
