using System.Text.Json.Serialization;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>The gateway's own JSON (source-generated, for NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
