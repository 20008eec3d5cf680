using Microsoft.Extensions.Options;

namespace ApiKeys.Http.Hosting;

/// <summary>The source-generated validator of the attributes of <see cref="KeyRevalidationOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class KeyRevalidationOptionsAttributeValidator : IValidateOptions<KeyRevalidationOptions>
{
}
