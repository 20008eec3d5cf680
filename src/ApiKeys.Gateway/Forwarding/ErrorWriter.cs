using System.Globalization;
using System.Text.Json;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// Writes a <see cref="GatewayError"/> the way the route's API does: <c>google.rpc.Status</c> JSON
/// (<c>{"error": {"code", "message", "status", "details"}}</c>, with a <c>RetryInfo</c> on a 429) for Gemini routes, OpenAI's
/// <c>{"error": {"message", "type", "param", "code"}}</c> for OpenAI routes, so every SDK reads it as it reads the real API's.
/// </summary>
internal static class ErrorWriter
{
    /// <summary>The header naming why the gateway answered itself (the <see cref="GatewayOutcome"/>).</summary>
    public const string RejectedHeader = "x-apikeys-rejected";

    public static async Task WriteAsync(HttpContext http, RouteFlavor flavor, GatewayError error, ForwardContext context)
    {
        context.Outcome = error.Outcome;
        context.Status = error.Status;
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = error.Status;
        response.ContentType = "application/json; charset=UTF-8";
        response.Headers[RejectedHeader] = error.Outcome.ToString();
        if (error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = GatewayError.Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        byte[] body = flavor == RouteFlavor.OpenAi ? OpenAi(error) : Google(error);
        response.ContentLength = body.Length;
        context.ResponseBytes = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] Google(GatewayError error) => Json(writer =>
    {
        writer.WriteStartObject("error");
        writer.WriteNumber("code", error.Status);
        writer.WriteString("message", error.Message);
        writer.WriteString("status", error.GoogleStatus);
        writer.WriteStartArray("details");
        writer.WriteStartObject();
        writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        writer.WriteString("reason", error.Outcome.ToString());
        writer.WriteString("domain", "apikeys-gateway");
        writer.WriteEndObject();
        if (error.RetryAfter is { } wait)
        {
            writer.WriteStartObject();
            writer.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
            writer.WriteString("retryDelay", GatewayError.Seconds(wait).ToString(CultureInfo.InvariantCulture) + "s");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] OpenAi(GatewayError error) => Json(writer =>
    {
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.OpenAiType);
        writer.WriteNull("param");
        writer.WriteString("code", error.OpenAiCode);
        writer.WriteEndObject();
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
