using System.Globalization;

namespace ApiKeys.Benchmarks;

/// <summary>Gemini-shaped fake keys, as the seed baseline makes them ("AIza" + 35 digits).</summary>
internal static class Fakes
{
    public static string Key(int i) => "AIza" + i.ToString("D35", CultureInfo.InvariantCulture);

    public static string[] Keys(int count) => [.. Enumerable.Range(0, count).Select(Key)];
}
