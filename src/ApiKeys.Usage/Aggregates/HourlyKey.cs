namespace ApiKeys.Usage.Aggregates;

/// <summary>One hourly aggregate's dimensions: the hour (unix hours), the key's id, the model, the client token's name and the outcome ("" when none).</summary>
public readonly record struct HourlyKey(long Hour, string KeyId, string Model, string Token, string Outcome)
{
    /// <summary>The longest dimension value kept (longer ones are cut: a client can name any model).</summary>
    public const int MaxLength = 128;

    /// <summary>The hour as a time.</summary>
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(Hour * 3600);

    /// <summary>The unix hour of <paramref name="time"/>.</summary>
    public static long HourOf(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / 3600.0);

    /// <summary>A dimension as stored: "" for none, cut at <see cref="MaxLength"/>, without control characters (the Redis field separator).</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value.Length > MaxLength)
        {
            value = value[..MaxLength];
        }

        return value.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 ? value : string.Concat(value.Select(c => c < ' ' ? '?' : c));
    }
}
