using ApiKeys.Redis;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Usage.Tests;

/// <summary>Aggregates of several stores on one real redis-server add up exactly.</summary>
public sealed class RedisUsageAggregatesTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly TempDirectory _a = new();
    private readonly TempDirectory _b = new();
    private readonly FakeTimeProvider _time = new(Records.Start);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task TwoStoresOnOnePool_SumExactly_WhileEachLogStaysLocal()
    {
        using var connection = _redis.Connect();
        using (var first = new UsageStore(_a.Path, shared: new RedisUsageAggregates(connection, "p"), timeProvider: _time))
        using (var second = new UsageStore(_b.Path, shared: new RedisUsageAggregates(connection, "p"), timeProvider: _time))
        {
            var writes = new List<Task>();
            for (int i = 0; i < 200; i++)
            {
                first.Record(Records.Success(Records.Start, token: "alice"));
                second.Record(i % 4 == 0 ? Records.RateLimited(Records.Start, token: "bob") : Records.Success(Records.Start, token: "bob"));
                if (i % 50 == 0)
                {
                    writes.Add(first.FlushAsync());
                    writes.Add(second.FlushAsync());
                }
            }

            await Task.WhenAll(writes);
        }

        using var fleet = new UsageReader(_a.Path, new RedisUsageAggregates(connection, "p"));
        var report = fleet.GetUsage(new UsageQuery { From = Records.Start, To = Records.Start, GroupBy = UsageGrouping.Token });
        using var local = new UsageReader(_a.Path);

        Assert.Equal((400L, 350L, 50L, 100L), (report.Total.Counts.Requests, report.Total.Counts.Successes, report.Total.Counts.Failures, report.Total.Counts.Retries));
        Assert.Equal(350L * 10, report.Total.Counts.InputTokens);
        Assert.Equal([("alice", 200L), ("bob", 200L)], report.Rows.Select(r => (r.Group, r.Counts.Requests)));
        Assert.Equal(200, local.GetUsage(new UsageQuery { From = Records.Start, To = Records.Start }).Total.Counts.Requests);
        Assert.Contains("Redis pool 'p'", report.Source, StringComparison.Ordinal);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(new RedisUsageAggregates(connection, "p").HourKey(Aggregates.HourlyKey.HourOf(Records.Start)));
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(89), TimeSpan.FromDays(90));
    }
}
