namespace ApiKeys.Keys;

/// <summary>How a key is shown: the first 4 characters, <c>...</c>, the last 4 (<c>AIza...YNQs</c>).</summary>
/// <remarks>Keys shorter than 16 characters show only <c>...</c> and their last 2 characters.</remarks>
public static class KeyMask
{
    /// <summary>Masks <paramref name="secret"/>.</summary>
    public static string Mask(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 16)
        {
            return secret.Length <= 2 ? "..." : string.Concat("...", secret.AsSpan(secret.Length - 2));
        }

        return string.Concat(secret.AsSpan(0, 4), "...", secret.AsSpan(secret.Length - 4));
    }

    /// <summary>The seed's short form used when confirming a removal: <c>...</c> and the last 4 characters.</summary>
    public static string Tail(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length < 16
            ? Mask(secret)
            : string.Concat("...", secret.AsSpan(secret.Length - 4));
    }
}
