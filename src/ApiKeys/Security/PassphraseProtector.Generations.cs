namespace ApiKeys.Security;

/// <summary>Replay detection: the highest generation of each file this protector read or wrote.</summary>
public sealed partial class PassphraseProtector
{
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    private void CheckGeneration_NeedsLock(string role, string path, long generation)
    {
        if (!_seen.TryGetValue(role, out var seen))
        {
            _seen[role] = new(path, generation, Ambiguous: false);
            return;
        }

        if (seen.Ambiguous)
        {
            return;
        }

        if (seen.Path is not null && seen.Path != path)
        {
            // Several files of one role through one protector (backups): generations are not comparable.
            _seen[role] = seen with { Ambiguous = true };
            return;
        }

        if (generation < seen.Generation)
        {
            throw KeyEnvelope.Fail(path, $"generation {generation} is older than generation {seen.Generation} this process already read or wrote: an older copy was put back (replayed?)");
        }

        _seen[role] = new(path, generation, Ambiguous: false);
    }

    private void RememberWrite_NeedsLock(string role, long generation)
    {
        if (!_seen.TryGetValue(role, out var seen))
        {
            _seen[role] = new(null, generation, Ambiguous: false);
        }
        else if (!seen.Ambiguous)
        {
            _seen[role] = seen with { Generation = Math.Max(seen.Generation, generation) };
        }
    }

    private readonly record struct Seen(string? Path, long Generation, bool Ambiguous);
}
