using System.Globalization;

namespace ApiKeys.Http.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. Every test output is scanned for them.</summary>
public static class TestKeys
{
    /// <summary>A Gemini-shaped canary: AIza + 35 characters.</summary>
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    public static string[] Many(int count, int start = 0) => [.. Enumerable.Range(start, count).Select(i => Gemini(i))];

    /// <summary>The key Google echoes in 403-consumer-suspended.json (built here so no test name or output holds it whole).</summary>
    public static string SuspendedCanary { get; } = "AIzaSyCANARY" + "suspendedKey" + "000000000000042";
}
