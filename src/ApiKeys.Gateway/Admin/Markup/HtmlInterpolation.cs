using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;

namespace ApiKeys.Gateway.Admin.Markup;

/// <summary>
/// The interpolated string handler behind <see cref="Html.Of"/>: literal parts go out as written (they are the code's own
/// markup), <see cref="Html"/> holes as they are, and every other hole (strings, numbers, dates, anything) formatted with
/// the invariant culture and HTML-encoded, quotes included, so it is safe in text and in quoted attribute values.
/// </summary>
[InterpolatedStringHandler]
internal ref struct HtmlInterpolation
{
    private DefaultInterpolatedStringHandler _inner;

    public HtmlInterpolation(int literalLength, int formattedCount) =>
        _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted(Html value) => _inner.AppendLiteral(value.ToString());

    public void AppendFormatted(string? value) => _inner.AppendLiteral(Encode(value));

    public void AppendFormatted<T>(T value) => AppendFormatted(value, format: null);

    public void AppendFormatted<T>(T value, string? format)
    {
        switch (value)
        {
            case Html html:
                _inner.AppendLiteral(html.ToString());
                break;
            case IEnumerable<Html> many:
                // A List<Html> binds to this generic overload: its pieces are HTML already.
                foreach (var piece in many)
                {
                    _inner.AppendLiteral(piece.ToString());
                }

                break;
            case IFormattable formattable:
                _inner.AppendLiteral(Encode(formattable.ToString(format, CultureInfo.InvariantCulture)));
                break;
            default:
                _inner.AppendLiteral(Encode(value?.ToString()));
                break;
        }
    }

    internal string ToStringAndClear() => _inner.ToStringAndClear();

    private static string Encode(string? value) => string.IsNullOrEmpty(value) ? "" : HtmlEncoder.Default.Encode(value);
}
