using ApiKeys;
using ApiKeys.Pool;
using BenchmarkDotNet.Attributes;

namespace ApiKeys.Benchmarks;

/// <summary>Acquire + report from 1 and 2 threads at once on one pool; the figure is wall time per pair over all threads.</summary>
[MemoryDiagnoser]
public class ThreadedBenchmarks
{
    private const int PerThread = 20_000;
    private ApiKeyManager _pool = null!;

    [Params(10, 100_000)]
    public int Keys { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _pool = new ApiKeyManager(apiKeys: Fakes.Keys(Keys), options: new ApiKeyManagerOptions { EnvironmentFaultGuard = false });

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void AcquireReport()
    {
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(Work);
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    private void Work()
    {
        var pool = _pool;
        for (int i = 0; i < PerThread; i++)
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
}
