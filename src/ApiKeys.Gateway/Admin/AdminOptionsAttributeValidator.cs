using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Admin;

/// <summary>The <c>[Range]</c> attributes of <see cref="AdminOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class AdminOptionsAttributeValidator : IValidateOptions<AdminOptions>;
