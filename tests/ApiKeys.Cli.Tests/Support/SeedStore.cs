namespace ApiKeys.Cli.Tests.Support;

/// <summary>Stores in the seed's format (its section 5), written as the seed's Python would.</summary>
internal static class SeedStore
{
    /// <summary>The seed's section 5 files, verbatim.</summary>
    public static void WriteSection5(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "api_keys.json"),
            $"[\n  \"{TestKeys.SeedKey1}\",\n  \"{TestKeys.SeedKey2}\"\n]\n");
        File.WriteAllText(Path.Combine(dir, "api_key_states.json"),
            $"{{\n  \"{TestKeys.SeedKey1}\": {{\n    \"blocked_until\": 1712345678.9,\n    \"failures\": 2,\n    \"last_failed\": 1712345600.0\n  }}\n}}\n");
    }

    /// <summary>Keys in the seed's format, with optional seed states (blocked_until in unix seconds).</summary>
    public static void Write(string dir, string[] keys, params (string Key, double BlockedUntil, int Failures, double LastFailed)[] states)
    {
        File.WriteAllText(Path.Combine(dir, "api_keys.json"), "[" + string.Join(",", keys.Select(k => $"\"{k}\"")) + "]");
        if (states.Length > 0)
        {
            var entries = states.Select(s => FormattableString.Invariant(
                $"\"{s.Key}\": {{\"blocked_until\": {s.BlockedUntil}, \"failures\": {s.Failures}, \"last_failed\": {s.LastFailed}}}"));
            File.WriteAllText(Path.Combine(dir, "api_key_states.json"), "{" + string.Join(",", entries) + "}");
        }
    }
}
