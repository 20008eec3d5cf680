namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the key pool registered by <c>AddApiKeyManager</c>; extensions (HTTP, Redis) hang off it.</summary>
public interface IApiKeyManagerBuilder
{
    /// <summary>The services.</summary>
    IServiceCollection Services { get; }
}
