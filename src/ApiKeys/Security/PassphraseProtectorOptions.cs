using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Security;

/// <summary>The key derivation parameters of <see cref="PassphraseProtector"/>: what it writes, and the bounds it accepts when reading.</summary>
public sealed class PassphraseProtectorOptions
{
    /// <summary>The OWASP minimum for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023 onwards).</summary>
    public const int OwaspMinimumIterations = 600_000;

    /// <summary>The PBKDF2-HMAC-SHA256 iterations of a new envelope.</summary>
    /// <value>The default is 600,000 (the OWASP minimum). Between <see cref="MinIterations"/> and <see cref="MaxIterations"/>.</value>
    [Range(1, int.MaxValue)]
    public int Iterations { get; set; } = OwaspMinimumIterations;

    /// <summary>The fewest iterations a file may ask for: a weaker file is refused rather than opened.</summary>
    /// <value>The default is 600,000. Lower it only in tests.</value>
    [Range(1, int.MaxValue)]
    public int MinIterations { get; set; } = OwaspMinimumIterations;

    /// <summary>The most iterations a file may ask for, checked before any work, so a crafted header cannot make the reader spin.</summary>
    /// <value>The default is 10,000,000 (about 3 to 5 seconds). At least <see cref="MinIterations"/>.</value>
    [Range(1, int.MaxValue)]
    public int MaxIterations { get; set; } = 10_000_000;

    /// <summary>Validates the options (<see cref="PassphraseProtector"/>'s constructor does).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A value is out of range, or the bounds contradict each other.</exception>
    public void Validate()
    {
        var result = new PassphraseProtectorOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(PassphraseProtectorOptions), typeof(PassphraseProtectorOptions), result.Failures);
        }
    }

    internal PassphraseProtectorOptions Clone() => new() { Iterations = Iterations, MinIterations = MinIterations, MaxIterations = MaxIterations };
}
