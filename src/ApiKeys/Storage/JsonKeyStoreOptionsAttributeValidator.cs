using Microsoft.Extensions.Options;

namespace ApiKeys.Storage;

/// <summary>The source-generated validator of the attributes of <see cref="JsonKeyStoreOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class JsonKeyStoreOptionsAttributeValidator : IValidateOptions<JsonKeyStoreOptions>
{
}
