namespace ApiKeys.Pool;

/// <summary>
/// The notices the pool's parts gathered under its lock since they were last taken: the pool takes them before it releases
/// the lock and publishes them after (<see cref="KeyPoolNotifier.Publish"/>).
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class PendingNotices
{
    private KeyNotices? _pending;

    /// <summary>The batch to add to (made on first use: most operations gather nothing).</summary>
    public KeyNotices Batch => _pending ??= new KeyNotices();

    /// <summary>The notices gathered so far, or null when there are none; the next ones go to a new batch.</summary>
    public KeyNotices? Take()
    {
        var notices = _pending;
        if (notices is not { Count: > 0 })
        {
            return null;
        }

        _pending = null;
        return notices;
    }
}
