using System.Text;

namespace ApiKeys.Gateway.Admin.Markup;

/// <summary>
/// HTML safe by construction: made only from the code's own literal text with every interpolated value encoded
/// (<see cref="Of"/>), or from other <see cref="Html"/>. A page cannot echo an unencoded value: a <c>string</c> does not
/// convert to <see cref="Html"/>, and <c>Html.Of(text)</c> with a plain string does not compile.
/// </summary>
internal readonly struct Html : IEquatable<Html>
{
    private readonly string? _text;

    private Html(string text) => _text = text;

    /// <summary>Nothing.</summary>
    public static Html Empty => default;

    /// <summary>HTML from an interpolated string: its literal parts as written, every hole encoded unless it is <see cref="Html"/> already.</summary>
    public static Html Of(HtmlInterpolation html) => new(html.ToStringAndClear());

    /// <summary>Several pieces, one after the other.</summary>
    public static Html Join(IEnumerable<Html> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            text.Append(piece._text);
        }

        return new(text.ToString());
    }

    /// <summary>
    /// Text that is HTML already and safe: only for what this folder's code produced itself (a JSON data block written by
    /// <see cref="HtmlJson"/>). Never for a value from a request, a file or a store.
    /// </summary>
    internal static Html FromSafeText(string text) => new(text);

    public static bool operator ==(Html left, Html right) => left.Equals(right);

    public static bool operator !=(Html left, Html right) => !left.Equals(right);

    /// <summary>The markup.</summary>
    public override string ToString() => _text ?? "";

    public bool Equals(Html other) => string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Html other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
