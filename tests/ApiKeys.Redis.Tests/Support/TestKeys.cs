using System.Globalization;

namespace ApiKeys.Redis.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. Test output is scanned for them, so tests name keys by id or mask.</summary>
public static class TestKeys
{
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    public static string[] Many(int count, int start = 0) => [.. Enumerable.Range(start, count).Select(Gemini)];
}
