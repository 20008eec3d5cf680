using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiKeys.Packaging.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. No test output may hold one whole.</summary>
internal static partial class TestKeys
{
    /// <summary>A Gemini-shaped canary: AIza + 35 characters.</summary>
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    /// <summary>Fails when <paramref name="text"/> holds a whole key.</summary>
    public static void AssertNoKey(string text)
    {
        var match = WholeKey().Match(text);
        if (match.Success)
        {
            Assert.Fail($"a whole key appeared in the output: {match.Value[..8]}...");
        }
    }

    [GeneratedRegex("AIza[0-9A-Za-z_-]{35}")]
    private static partial Regex WholeKey();
}
