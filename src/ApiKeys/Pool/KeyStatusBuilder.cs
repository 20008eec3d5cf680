using System.Globalization;
using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>Makes a <see cref="KeyStatus"/> from a key's state: whether it is usable now, and if not why and until when. Every backend shows keys the same way.</summary>
internal static class KeyStatusBuilder
{
    /// <param name="id">The key's id.</param>
    /// <param name="key">The key, when this process holds it (else the status shows the id for the mask).</param>
    /// <param name="project">The key's project, configured or learned.</param>
    /// <param name="state">The key's state.</param>
    /// <param name="inflight">Leases in flight.</param>
    /// <param name="number">The key's position (1-based).</param>
    /// <param name="now">The time.</param>
    /// <param name="model">Also say whether the key can serve this model.</param>
    /// <param name="cap">The cap of leases in flight per key, if any.</param>
    public static KeyStatus Build(string id, ApiKey? key, string? project, KeyState state, int inflight, int number, DateTimeOffset now, string? model, int? cap)
    {
        var availability = KeyAvailability.Available;
        DateTimeOffset? at = null;
        string? reason = null;
        var blocked = state.Models.Where(m => m.Value.IsActive(now)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        if (key?.Disabled == true)
        {
            availability = KeyAvailability.DisabledByHand;
            reason = "disabled by hand; enable it to use it again";
        }
        else if (state.DisabledKind is { } kind)
        {
            availability = KeyAvailability.Disabled;
            reason = DisabledReasons.Why(kind, state.DisabledReason);
        }
        else if (state.IsCooling(now))
        {
            availability = KeyAvailability.Cooling;
            at = state.BlockedUntil;
            reason = state.BlockKind switch
            {
                FailureKind.RateLimited => "rate limited",
                FailureKind.Billing => "billing: credit used up",
                _ => string.Create(CultureInfo.InvariantCulture, $"{state.Failures} consecutive failures"),
            } + $"; back in {ApiKeyManager.FormatSpan(at!.Value - now)}";
        }
        else if (model is not null && blocked.TryGetValue(model, out var block))
        {
            availability = KeyAvailability.ModelBlocked;
            at = block.Until;
            reason = block.Until is { } u
                ? $"model {model} rate limited; back in {ApiKeyManager.FormatSpan(u - now)}"
                : $"model {model} not available to this key until revalidated";
        }
        else if (cap is { } c && inflight >= c)
        {
            availability = KeyAvailability.Busy;
            reason = string.Create(CultureInfo.InvariantCulture, $"{inflight} leases in flight (the cap)");
        }

        return new KeyStatus
        {
            Id = id,
            Mask = key?.Mask ?? id,
            Label = key?.Label,
            Provider = key?.Provider ?? KeyProvider.Generic,
            Project = project,
            AddedAt = key?.AddedAt ?? DateTimeOffset.UnixEpoch,
            Number = number,
            State = state,
            Availability = availability,
            AvailableAt = at,
            Reason = reason,
            InFlight = inflight,
            BlockedModels = blocked,
        };
    }
}
