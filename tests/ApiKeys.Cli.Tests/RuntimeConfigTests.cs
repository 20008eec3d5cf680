using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests;

/// <summary>The runtime settings the dotnet tool ships with on the JIT, where <c>apikeys serve</c> hosts the gateway.</summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void HotCode_IsOptimizedWithoutTheStartupDelay_WithDynamicPgo() => JitRuntimeConfig.AssertTiersUpAtOnce(CliBinary.Dll);
}
