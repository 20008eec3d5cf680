using ApiKeys;
using ApiKeys.Pool;

// The README's example, compiled in CI. Keys come from GEMINI_KEY_1..N (the seed's production advice).
using var pool = ApiKeyManager.FromEnvironment("GEMINI_KEY_");
try
{
    using var lease = pool.Acquire("gemini-2.5-flash");     // the next usable key for this model
    Console.WriteLine($"Using key {lease.Mask}");          // never print lease.Key
    lease.Succeeded();                                     // or lease.Failed(KeyFailure.RateLimited(...))
}
catch (NoAvailableKeyException e)
{
    Console.WriteLine($"No available keys; retry after {e.RetryAfter?.TotalSeconds ?? -1:0} s");
}
