namespace ApiKeys.Cli.Tests.Support;

/// <summary>
/// Stores in the seed's format (its section 5), written as the seed's Python would, then made 0600: the tool refuses
/// a store other users can read (tests of that refusal open the mode again).
/// </summary>
internal static class SeedStore
{
    /// <summary>Writes a store file as its owner's alone (0600).</summary>
    public static void WriteFile(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The seed's section 5 files, verbatim.</summary>
    public static void WriteSection5(string dir)
    {
        WriteFile(Path.Combine(dir, "api_keys.json"),
            $"[\n  \"{TestKeys.SeedKey1}\",\n  \"{TestKeys.SeedKey2}\"\n]\n");
        WriteFile(Path.Combine(dir, "api_key_states.json"),
            $"{{\n  \"{TestKeys.SeedKey1}\": {{\n    \"blocked_until\": 1712345678.9,\n    \"failures\": 2,\n    \"last_failed\": 1712345600.0\n  }}\n}}\n");
    }

    /// <summary>Keys in the seed's format, with optional seed states (blocked_until in unix seconds).</summary>
    public static void Write(string dir, string[] keys, params (string Key, double BlockedUntil, int Failures, double LastFailed)[] states)
    {
        WriteFile(Path.Combine(dir, "api_keys.json"), "[" + string.Join(",", keys.Select(k => $"\"{k}\"")) + "]");
        if (states.Length > 0)
        {
            var entries = states.Select(s => FormattableString.Invariant(
                $"\"{s.Key}\": {{\"blocked_until\": {s.BlockedUntil}, \"failures\": {s.Failures}, \"last_failed\": {s.LastFailed}}}"));
            WriteFile(Path.Combine(dir, "api_key_states.json"), "{" + string.Join(",", entries) + "}");
        }
    }
}
