using System.ComponentModel.DataAnnotations;
using ApiKeys.Pool;
using Microsoft.Extensions.Options;

namespace ApiKeys;

/// <summary>How the pool treats failures, picks keys and persists state.</summary>
public sealed class ApiKeyManagerOptions
{
    /// <summary>Consecutive strikes that cool a key down.</summary>
    /// <value>The default is 3 (the seed's <c>MAX_FAILURES</c>).</value>
    [Range(1, 1_000_000)]
    public int FailureThreshold { get; set; } = 3;

    /// <summary>The first cooldown; each further one doubles, up to <see cref="MaxCooldown"/>.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan BaseCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest escalating cooldown.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan MaxCooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest billing cooldown (billing cooldowns start at <see cref="MaxCooldown"/> and double).</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan MaxBillingCooldown { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Random spread applied to escalating cooldowns, as a fraction (0.1 = +/-10 %), so keys do not all come back at once.</summary>
    /// <value>The default is 0.1.</value>
    [Range(0.0, 0.5)]
    public double JitterRatio { get; set; } = 0.1;

    /// <summary>A quiet period after which a success lowers the escalation level by one.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan CooldownDecay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The time zone whose midnight resets daily quotas (Gemini: Pacific time).</summary>
    /// <value>The default is <c>America/Los_Angeles</c>.</value>
    [Required]
    public string DailyQuotaTimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>How keys are picked.</summary>
    /// <value>The default is <see cref="KeySelection.RoundRobin"/> (the seed's behaviour).</value>
    public KeySelection Selection { get; set; } = KeySelection.RoundRobin;

    /// <summary>The most leases one key may have in flight; null: no cap.</summary>
    /// <value>The default is null.</value>
    [Range(1, 1_000_000)]
    public int? MaxLeasesPerKey { get; set; }

    /// <summary>Consecutive strikes at which <see cref="ApiKeyManager.Alert"/> is raised (the seed: "alerts for multiple consecutive failures").</summary>
    /// <value>The default is 3.</value>
    [Range(1, 1_000_000)]
    public int AlertAfterConsecutiveFailures { get; set; } = 3;

    /// <summary>The window of the environment-fault guard: failures of one kind across keys and projects within it are the environment's fault.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan EnvironmentFaultWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The fewest distinct keys failing with one kind inside the window that trip the guard (and at least half the usable keys).</summary>
    /// <value>The default is 3.</value>
    [Range(2, 1_000_000)]
    public int EnvironmentFaultMinKeys { get; set; } = 3;

    /// <summary>Whether the environment-fault guard is on.</summary>
    /// <value>The default is true.</value>
    public bool EnvironmentFaultGuard { get; set; } = true;

    /// <summary>The fewest usable keys before the health summary warns (the seed: "maintain at least 3 active keys").</summary>
    /// <value>The default is 3.</value>
    [Range(0, 1_000_000)]
    public int MinimumUsableKeys { get; set; } = 3;

    /// <summary>Keys older than this are listed as due for rotation (the seed: "rotate keys quarterly").</summary>
    /// <value>The default is 90 days.</value>
    public TimeSpan RotationAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Whether <see cref="ApiKeyManager.AddKey"/> accepts keys of no known format.</summary>
    /// <value>The default is false.</value>
    public bool AllowGenericKeys { get; set; }

    /// <summary>How often state changes are written and other processes' changes read.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Proactive limits per key x model (requests per minute and per day); a key at its limit steps aside until the window ends.</summary>
    /// <value>The default is none.</value>
    [ValidateEnumeratedItems]
    public IList<RequestLimit> RequestLimits { get; } = [];

    /// <summary>Validates the options (the same validator runs with and without DI).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new ApiKeyManagerOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(ApiKeyManagerOptions), typeof(ApiKeyManagerOptions), result.Failures);
        }
    }
}
