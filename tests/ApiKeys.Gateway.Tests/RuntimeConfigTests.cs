using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>
/// The runtime settings the gateway ships with on the JIT (<c>dotnet run</c>, <c>dotnet ApiKeys.Gateway.dll</c>): read from
/// the runtimeconfig.json beside the assembly the other tests start, the one a user's build writes.
/// </summary>
public sealed class RuntimeConfigTests
{
    private static JsonElement ConfigProperties()
    {
        string path = Path.ChangeExtension(GatewayProcess.Dll, ".runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    /// <summary>
    /// Hot code is recompiled without the runtime's startup delay, which one CPU multiplies by ten: a busy one-CPU gateway
    /// served unoptimized code for minutes without it (bench/gateway, docs/gateway.md).
    /// </summary>
    [Fact]
    public void HotCode_IsOptimizedWithoutTheStartupDelay()
    {
        Assert.True(ConfigProperties().TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out var delay), "no CallCountingDelayMs in the gateway's runtimeconfig.json");
        Assert.Equal(0, delay.GetInt32());
    }

    /// <summary>Dynamic PGO stays on: 1.06x the requests/s with it (the median of 12 alternated rounds on one CPU).</summary>
    [Fact]
    public void DynamicPgo_IsNotTurnedOff() =>
        Assert.False(ConfigProperties().TryGetProperty("System.Runtime.TieredPGO", out var pgo) && pgo.ValueKind == JsonValueKind.False);
}
