using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway;

/// <summary>The <c>[Range]</c>/<c>[Required]</c> attributes of <see cref="GatewayOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class GatewayOptionsAttributeValidator : IValidateOptions<GatewayOptions>;
