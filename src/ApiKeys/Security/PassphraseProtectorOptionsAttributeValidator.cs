using Microsoft.Extensions.Options;

namespace ApiKeys.Security;

/// <summary>The source-generated validator of the attributes of <see cref="PassphraseProtectorOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class PassphraseProtectorOptionsAttributeValidator : IValidateOptions<PassphraseProtectorOptions>
{
}
