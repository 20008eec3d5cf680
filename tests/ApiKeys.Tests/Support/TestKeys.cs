using System.Globalization;

namespace ApiKeys.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. Every test output is scanned for them.</summary>
public static class TestKeys
{
    /// <summary>A Gemini-shaped canary: AIza + 35 characters.</summary>
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    public static string[] Many(int count, int start = 0) => [.. Enumerable.Range(start, count).Select(i => Gemini(i))];

    /// <summary>The seed document's own example keys (section 5).</summary>
    public const string SeedKey1 = "AIzaSyDmG6cUWjZBIdYI5H1NDqdaYwZjMYmjFYY";
    public const string SeedKey2 = "AIzaSyCfFOnGjgd-ZXS0VgPQ-wejgWGQTXcMpVw";
}
