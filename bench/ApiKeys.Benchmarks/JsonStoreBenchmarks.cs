using ApiKeys;
using BenchmarkDotNet.Attributes;

namespace ApiKeys.Benchmarks;

/// <summary>
/// Reported outcomes per second with the JSON store on: the seed's loop (get a key, report it, every 10th a failure)
/// while the store writes the states in the background, as the pool does (coalesced, about once a second).
/// </summary>
public class JsonStoreBenchmarks
{
    private const int Batch = 100_000;
    private string _dir = null!;
    private ApiKeyManager _pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "apikeys-bench-" + Guid.NewGuid().ToString("N"));
        _pool = ApiKeyManager.Open(_dir, new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
        foreach (var key in Fakes.Keys(10))
        {
            _pool.AddKey(key);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ReportWithJsonStore()
    {
        var pool = _pool;
        for (int i = 0; i < Batch; i++)
        {
            var key = pool.GetAvailableKey()!;
            pool.UpdateKeyStatus(key, i % 10 != 0);
        }
    }
}
