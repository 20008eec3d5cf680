using Microsoft.Extensions.Options;

namespace ApiKeys.Http;

/// <summary>The source-generated validator of the attributes of <see cref="ApiKeyHandlerOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ApiKeyHandlerOptionsAttributeValidator : IValidateOptions<ApiKeyHandlerOptions>
{
}
