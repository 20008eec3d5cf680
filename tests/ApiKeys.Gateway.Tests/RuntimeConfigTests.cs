using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>The runtime settings the gateway ships with on the JIT (<c>dotnet run</c>, <c>dotnet ApiKeys.Gateway.dll</c>).</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void HotCode_IsOptimizedWithoutTheStartupDelay_WithDynamicPgo() => JitRuntimeConfig.AssertTiersUpAtOnce(GatewayProcess.Dll);
}
