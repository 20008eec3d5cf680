using ApiKeys;
using ApiKeys.Pool;

// The README's example, line for line (CI compiles it). Run it in a directory where `apikeys add` put keys;
// without keys, Acquire says so: "No available keys: the pool has no keys. Add keys (apikeys add)."
using var pool = new ApiKeyManager();                    // api_keys.json (+ api_key_states.json) here
using var lease = pool.Acquire("gemini-2.5-flash");     // or NoAvailableKeyException with RetryAfter
try { await CallGeminiAsync(lease.Key); lease.Succeeded(); }
catch (HttpRequestException) { lease.Failed(KeyFailure.Transport()); }
string? key = pool.GetAvailableKey();                    // the seed's surface still works
pool.UpdateKeyStatus(key!, success: false);              // a failure of unknown kind: a strike

// Stands for the call the key is for (see samples/GeminiChat for a real one through ApiKeyHandler).
static Task CallGeminiAsync(string key)
{
    Console.WriteLine($"calling Gemini with {ApiKeys.Keys.KeyMask.Mask(key)}");
    return Task.CompletedTask;
}
