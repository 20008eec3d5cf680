using System.Text.Json;

namespace ApiKeys.TestSupport;

/// <summary>
/// What a program of this repository (the gateway, the CLI) ships in its runtimeconfig.json for the JIT: read from the file
/// beside the assembly the other tests start, the one a user's build writes (Directory.Build.targets).
/// </summary>
public static class JitRuntimeConfig
{
    /// <summary>
    /// Hot code is recompiled without the runtime's startup delay, which one CPU multiplies by ten (a busy one-CPU gateway
    /// served unoptimized code for minutes: bench/gateway, docs/gateway.md), and dynamic PGO is not turned off (1.06x the
    /// requests/s with it, the median of 12 alternated rounds on one CPU).
    /// </summary>
    public static void AssertTiersUpAtOnce(string assemblyPath)
    {
        string path = Path.ChangeExtension(assemblyPath, ".runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var properties = doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out var delay), $"no CallCountingDelayMs in {path}");
        Assert.Equal(0, delay.GetInt32());
        Assert.False(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo) && pgo.ValueKind == JsonValueKind.False, $"dynamic PGO is off in {path}");
    }
}
