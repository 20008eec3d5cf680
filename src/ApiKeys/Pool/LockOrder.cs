using System.Diagnostics;

namespace ApiKeys.Pool;

/// <summary>
/// The pool's two locks and their order, checked: the store's lock (<see cref="StoreSync"/>) is taken first, the pool's
/// lock second, never the other way; and no user code (event handlers, loggers) runs while this thread holds either.
/// </summary>
internal static class LockOrder
{
    /// <summary>
    /// Throws when this thread holds <paramref name="gate"/>, the pool's lock, about to take <paramref name="what"/>: a
    /// thread holding the pool's lock that waits for the store's would deadlock with a sync. Cheap; always checked.
    /// </summary>
    public static void NotHeld(Lock gate, string what)
    {
        if (gate.IsHeldByCurrentThread)
        {
            throw new InvalidOperationException($"Lock order: {what} taken while holding the pool's lock.");
        }
    }

    /// <summary>Asserts (in debug builds) that the caller holds <paramref name="gate"/>: the hot paths pay nothing in release.</summary>
    [Conditional("DEBUG")]
    public static void Held(Lock gate) => Debug.Assert(gate.IsHeldByCurrentThread, "The caller must hold the pool's lock.");
}
