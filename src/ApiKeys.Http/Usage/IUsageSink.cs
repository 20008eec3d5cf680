namespace ApiKeys.Http.Usage;

/// <summary>
/// Where <see cref="UsageRecord"/>s go once a request has ended (a store, metrics). Called on the request's thread: an
/// implementation must be quick and never block (queue the record and write it elsewhere); an exception it throws is logged
/// and dropped, never seen by the caller.
/// </summary>
public interface IUsageSink
{
    /// <summary>A request ended.</summary>
    void Record(UsageRecord record);
}
