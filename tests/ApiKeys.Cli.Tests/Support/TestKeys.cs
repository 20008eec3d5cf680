using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. No test output may hold one whole.</summary>
public static partial class TestKeys
{
    /// <summary>A Gemini-shaped canary: AIza + 35 characters.</summary>
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    /// <summary>The seed's console examples show AIza...YNQs and AIza...dD4X.</summary>
    public const string Ynqs = "AIzaSyCANARY00000000000000000000000YNQs";
    public const string Dd4x = "AIzaSyCANARY00000000000000000000000dD4X";

    /// <summary>The seed document's own example keys (section 5).</summary>
    public const string SeedKey1 = "AIzaSyDmG6cUWjZBIdYI5H1NDqdaYwZjMYmjFYY";
    public const string SeedKey2 = "AIzaSyCfFOnGjgd-ZXS0VgPQ-wejgWGQTXcMpVw";

    /// <summary>Fails when <paramref name="text"/> holds a whole key (of any known shape).</summary>
    public static void AssertNoKey(string text)
    {
        var match = WholeKey().Match(text);
        if (match.Success)
        {
            Assert.Fail($"a whole key appeared in the output: {match.Value[..8]}...");
        }
    }

    [GeneratedRegex("AIza[0-9A-Za-z_-]{35}|sk-[A-Za-z0-9_-]{20,}")]
    private static partial Regex WholeKey();
}
