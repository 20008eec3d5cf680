using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ApiKeys.Gateway.Admin.Markup;

/// <summary>
/// Page data for scripts without inline script: a <c>&lt;script type="application/json"&gt;</c> block the browser never runs,
/// read by dashboard.js. Written with <see cref="JavaScriptEncoder.Default"/>, which escapes <c>&lt;</c>, <c>&gt;</c>,
/// <c>&amp;</c> and quotes, so no value can close the element.
/// </summary>
internal static class HtmlJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>A data block with the id <paramref name="id"/> holding what <paramref name="write"/> writes.</summary>
    public static Html Block(string id, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        var json = Html.FromSafeText(Encoding.UTF8.GetString(buffer.WrittenSpan));
        return Html.Of($"<script type=\"application/json\" id=\"{id}\">{json}</script>");
    }
}
