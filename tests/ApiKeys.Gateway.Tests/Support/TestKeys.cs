using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>Canary keys: key-shaped, never real. No log line or output may hold one whole, nor a client token.</summary>
public static partial class TestKeys
{
    /// <summary>A Gemini-shaped canary: AIza + 35 characters.</summary>
    public static string Gemini(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    public static string[] Many(int count, int start = 0) => [.. Enumerable.Range(start, count).Select(Gemini)];

    /// <summary>Fails when <paramref name="text"/> holds a whole key or a whole client token.</summary>
    public static void AssertNoSecret(string text, string what)
    {
        var match = Secret().Match(text);
        if (match.Success)
        {
            Assert.Fail($"{what} holds a whole secret: {match.Value[..6]}... in: {Secret().Replace(text, "<SECRET>")[..Math.Min(400, text.Length)]}");
        }
    }

    [GeneratedRegex("AIza[0-9A-Za-z_-]{35}|akg_[A-Za-z0-9_-]{43}")]
    private static partial Regex Secret();
}
