namespace ApiKeys.Gateway.Hosting;

/// <summary>Counts the requests being forwarded (what a shutdown drains).</summary>
internal sealed class InFlightRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Scope Enter()
    {
        Interlocked.Increment(ref _count);
        return new Scope(this);
    }

    internal readonly struct Scope(InFlightRequests owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._count);
    }
}
