using System.Collections.Concurrent;
using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>Many threads acquiring and reporting at once: invariants, not timings.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void AcquireReport_EightThreads_NoCoolingKeyLeasedAndTotalsExact()
    {
        var time = Pools.Clock(); // frozen: a key that cools never comes back during the test
        var options = Pools.NoJitter(o => { o.EnvironmentFaultGuard = false; o.MaxLeasesPerKey = 4; });
        using var pool = new ApiKeyManager(apiKeys: TestKeys.Many(64), options: options, timeProvider: time);
        var leased = new ConcurrentBag<(string KeyId, long LeaseId)>();
        var cooledBefore = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var successes = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        const int Threads = 8, PerThread = 20_000;

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            for (int i = 0; i < PerThread; i++)
            {
                if (!pool.TryAcquire(out var lease, out _))
                {
                    continue;
                }

                leased.Add((lease.KeyId, lease.LeaseId));
                if (random.Next(2000) == 0)
                {
                    lease.Failed(KeyFailure.RateLimited(TimeSpan.FromHours(1), RateLimitScope.Minute));
                    failures.AddOrUpdate(lease.KeyId, 1, (_, n) => n + 1);

                    // Every lease handed out after this one was handed out after the cooldown began.
                    if (pool.TryAcquire(out var marker, out _))
                    {
                        cooledBefore.AddOrUpdate(lease.KeyId, marker.LeaseId, (_, old) => Math.Min(old, marker.LeaseId));
                        leased.Add((marker.KeyId, marker.LeaseId));
                        marker.Succeeded();
                        successes.AddOrUpdate(marker.KeyId, 1, (_, n) => n + 1);
                    }
                }
                else
                {
                    lease.Succeeded();
                    successes.AddOrUpdate(lease.KeyId, 1, (_, n) => n + 1);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var violations = leased.Where(l => cooledBefore.TryGetValue(l.KeyId, out var after) && l.LeaseId > after).ToList();
        Assert.Empty(violations);
        Assert.NotEmpty(cooledBefore);
        foreach (var status in pool.GetStatuses())
        {
            Assert.Equal(successes.GetValueOrDefault(status.Id), status.State.TotalSuccesses);
            Assert.Equal(failures.GetValueOrDefault(status.Id), status.State.TotalFailures);
            Assert.Equal(0, status.InFlight);
        }

        Assert.Equal(leased.Count, successes.Values.Sum() + failures.Values.Sum());
        Assert.Equal(leased.Count, leased.Select(l => l.LeaseId).Distinct().Count());
    }

    [Fact]
    public void Acquire_CapOfOneUnderContention_NeverTwoLeasesOnOneKey()
    {
        var options = Pools.NoJitter(o => o.MaxLeasesPerKey = 1);
        using var pool = new ApiKeyManager(apiKeys: TestKeys.Many(4), options: options, timeProvider: Pools.Clock());
        var holders = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int overlaps = 0;

        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (!pool.TryAcquire(out var lease, out _))
            {
                return;
            }

            if (holders.AddOrUpdate(lease.KeyId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            holders.AddOrUpdate(lease.KeyId, 0, (_, n) => n - 1);
            lease.Dispose();
        });

        Assert.Equal(0, overlaps);
        Assert.All(pool.GetStatuses(), s => Assert.Equal(0, s.InFlight));
    }
}
