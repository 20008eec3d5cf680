using ApiKeys;
using ApiKeys.Pool;
using BenchmarkDotNet.Attributes;

namespace ApiKeys.Benchmarks;

/// <summary>
/// Acquire + report, one pair per operation, the seed's workload (every 10th call fails with an unknown error):
/// pools of 10, 1,000 and 100,000 keys, and 100,000 keys of which 99 % are cooling.
/// </summary>
[MemoryDiagnoser]
public class AcquireReportBenchmarks
{
    private const int Batch = 1000;
    private ApiKeyManager _pool = null!;

    [Params(10, 1_000, 100_000)]
    public int Keys { get; set; }

    [Params(0, 99)]
    public int CoolingPercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ApiKeyManager(apiKeys: Fakes.Keys(Keys), options: new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
        int cooling = Keys * CoolingPercent / 100;
        for (int i = 0; i < cooling; i++)
        {
            _pool.UpdateKeyStatus(Fakes.Key(i), KeyFailure.RateLimited(TimeSpan.FromDays(1)));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    /// <summary>The library's API: a lease per call.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void LeaseAcquireReport()
    {
        var pool = _pool;
        for (int i = 0; i < Batch; i++)
        {
            var lease = pool.Acquire();
            if (i % 10 == 0)
            {
                lease.Failed(KeyFailure.Unknown());
            }
            else
            {
                lease.Succeeded();
            }
        }
    }

    /// <summary>The seed's API: get_available_key + update_key_status.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void SeedGetAndUpdate()
    {
        var pool = _pool;
        for (int i = 0; i < Batch; i++)
        {
            var key = pool.GetAvailableKey()!;
            pool.UpdateKeyStatus(key, i % 10 != 0);
        }
    }
}
