namespace ApiKeys.Security;

/// <summary>The key derivation parameters of <see cref="PassphraseProtector"/>: what it writes, and the bounds it accepts when reading.</summary>
public sealed class PassphraseProtectorOptions
{
    /// <summary>The OWASP minimum for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023 onwards).</summary>
    public const int OwaspMinimumIterations = 600_000;

    /// <summary>The PBKDF2-HMAC-SHA256 iterations of a new envelope.</summary>
    /// <value>The default is 600,000 (the OWASP minimum).</value>
    public int Iterations { get; set; } = OwaspMinimumIterations;

    /// <summary>The fewest iterations a file may ask for: a weaker file is refused rather than opened.</summary>
    /// <value>The default is 600,000. Lower it only in tests.</value>
    public int MinIterations { get; set; } = OwaspMinimumIterations;

    /// <summary>The most iterations a file may ask for, checked before any work, so a crafted header cannot make the reader spin.</summary>
    /// <value>The default is 10,000,000 (about 3 to 5 seconds).</value>
    public int MaxIterations { get; set; } = 10_000_000;

    /// <summary>Throws when the bounds contradict each other.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinIterations, 1, nameof(MinIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, MinIterations, nameof(MaxIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, MinIterations, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, MaxIterations, nameof(Iterations));
    }

    internal PassphraseProtectorOptions Clone() => new() { Iterations = Iterations, MinIterations = MinIterations, MaxIterations = MaxIterations };
}
