using System.Globalization;

namespace ApiKeys.TestSupport;

/// <summary>The real-shaped Gemini error bodies of shared/gemini-errors, copied beside the tests.</summary>
public static class ErrorFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "gemini-errors");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json"));

    /// <summary>The HTTP status is the file name's prefix.</summary>
    public static int Status(string name) => int.Parse(Path.GetFileName(name)[..3], CultureInfo.InvariantCulture);

    public static IEnumerable<string> All() => System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;
}
