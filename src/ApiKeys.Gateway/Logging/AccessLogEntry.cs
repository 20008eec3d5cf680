using System.Globalization;
using System.Text;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Security;

namespace ApiKeys.Gateway.Logging;

/// <summary>
/// The access log's line for one request (event 3001, <c>Access</c>):
/// <c>{Method} {Route} {Status} {Outcome} in {LatencyMs} ms (first byte {TtfbMs} ms) token= model= key= failure= retries= bytes=</c>.
/// </summary>
/// <remarks>
/// Written by <see cref="GatewayConsoleLoggerProvider"/> straight into its line (no message string in between, times as
/// fixed-point integers, not formatted doubles), with only the fields a client or an operator chose (the method, the
/// model, the token's name) passed through the redactor: the rest are the gateway's own words and numbers, in which no
/// secret can be. That is about a third of what the template and a redaction of the whole line cost a request.
/// </remarks>
internal sealed class AccessLogEntry(ForwardContext context)
{
    /// <summary>The access line's event.</summary>
    public static readonly EventId EventId = new(3001, "Access");

    private static readonly string[] Outcomes = Names<GatewayOutcome>();
    private static readonly string[] Failures = Names<Pool.FailureKind>();

    /// <summary>Formats for a provider that is not the gateway's own (the fields a client chose masked as key- or token-shaped).</summary>
    public static string Format(AccessLogEntry entry, Exception? exception) => entry.ToString();

    /// <summary>Appends the message, each chosen field through <paramref name="redact"/>.</summary>
    public void AppendTo(StringBuilder line, Func<string, string> redact)
    {
        line.Append(IsStandardMethod(context.Method) ? context.Method : redact(context.Method)).Append(' ').Append(context.Route.Name).Append(' ').Append(context.Status).Append(' ')
            .Append(Name(Outcomes, (int)context.Outcome, context.Outcome)).Append(" in ");
        AppendMilliseconds(line, context.Latency);
        line.Append(" ms (first byte ");
        AppendMilliseconds(line, context.TimeToFirstByte ?? TimeSpan.Zero);
        line.Append(" ms) token=").Append(context.TokenName is { } token ? redact(token) : "-")
            .Append(" model=").Append(context.Model is { } model ? redact(model) : "-")
            .Append(" key=").Append(context.KeyId ?? "-")
            .Append(" failure=").Append(context.Failure is { } failure ? Name(Failures, (int)failure, failure) : "-")
            .Append(" retries=").Append(context.Retries).Append(" bytes=").Append(context.ResponseBytes);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var line = new StringBuilder(192);
        AppendTo(line, static text => ClientTokenFormat.Redact(SecretRedactor.Default.Redact(text)));
        return line.ToString();
    }

    /// <summary>A method named by the HTTP standard (as Kestrel gives it, every request): nothing in it to mask.</summary>
    private static bool IsStandardMethod(string method) => method is "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS";

    /// <summary>Milliseconds with two decimals (as <c>F2</c>), from integers.</summary>
    private static void AppendMilliseconds(StringBuilder line, TimeSpan elapsed)
    {
        long hundredths = (elapsed.Ticks + (TimeSpan.TicksPerMillisecond / 200)) / (TimeSpan.TicksPerMillisecond / 100);
        line.Append(hundredths / 100).Append('.').Append((char)('0' + (hundredths / 10 % 10))).Append((char)('0' + (hundredths % 10)));
    }

    private static string Name<T>(string[] names, int value, T fallback)
        where T : struct, Enum =>
        (uint)value < (uint)names.Length && names[value] is { } name ? name : fallback.ToString();

    private static string[] Names<T>()
        where T : struct, Enum
    {
        var names = new string[64];
        foreach (var value in Enum.GetValues<T>())
        {
            int i = Convert.ToInt32(value, CultureInfo.InvariantCulture);
            if ((uint)i < (uint)names.Length)
            {
                names[i] = value.ToString();
            }
        }

        return names;
    }
}
