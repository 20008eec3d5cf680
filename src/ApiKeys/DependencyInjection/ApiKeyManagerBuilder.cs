namespace Microsoft.Extensions.DependencyInjection;

internal sealed class ApiKeyManagerBuilder(IServiceCollection services) : IApiKeyManagerBuilder
{
    public IServiceCollection Services { get; } = services;
}
