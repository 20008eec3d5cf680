using Microsoft.Extensions.Options;

namespace ApiKeys.Usage;

/// <summary>The <c>[Range]</c> attributes of <see cref="UsageStoreOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class UsageStoreOptionsAttributeValidator : IValidateOptions<UsageStoreOptions>;
