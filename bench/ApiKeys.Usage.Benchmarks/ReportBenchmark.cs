using System.Diagnostics;
using System.Globalization;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Benchmarks;

/// <summary>
/// A realistic 90-day aggregate table, then every report the dashboard and <c>apikeys usage</c> ask for. The table: 10,000
/// keys, 3 models, 4 client tokens, PER_HOUR requests an hour (default 2,000) on keys drawn at random (a pool used round
/// robin: each key a request every few hours, so hour x key x model x token x outcome is sparse: about as many rows as
/// requests), 95 % successes, 4 % rate limited, 1 % upstream errors; written through <see cref="UsageStore"/> (log off).
/// Each report is timed cold (the first call) and warm (the median of the next 5).
/// </summary>
internal static class ReportBenchmark
{
    private const int Keys = 10_000;
    private static readonly string[] Models = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-embedding-001"];
    private static readonly string[] Tokens = ["ci", "web", "batch", "mobile"];

    public static async Task<int> RunAsync(int perHour, string? reuse, string? only)
    {
        var now = DateTimeOffset.UtcNow;
        string dir = reuse ?? Path.Combine(Path.GetTempPath(), "apikeys-report-bench-" + Guid.NewGuid().ToString("N")[..8]);
        if (reuse is null || !File.Exists(Path.Combine(dir, "usage.db")))
        {
            Directory.CreateDirectory(dir);
            await WriteAsync(dir, now, perHour);
        }

        long size = Directory.GetFiles(dir, "usage.db*").Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage.db: {size / 1024.0 / 1024.0:0.0} MB ({dir})"));
        using var reader = new UsageReader(dir);
        foreach (var (name, query) in Reports(now))
        {
            if (only is null || name.Contains(only, StringComparison.Ordinal))
            {
                Time(reader, name, query);
            }
        }

        var key = reader.GetUsage(new UsageQuery { From = now.AddDays(-1), To = now, GroupBy = UsageGrouping.Key }).Rows[0].Group;
        Time(reader, $"key detail: 7 d by outcome per hour", new UsageQuery { From = now.AddDays(-7), To = now, GroupBy = UsageGrouping.Outcome, Interval = UsageInterval.Hour, KeyId = key });
        Time(reader, $"key detail: 30 d by model", new UsageQuery { From = now.AddDays(-30), To = now, GroupBy = UsageGrouping.Model, KeyId = key });
        Time(reader, $"key detail: 90 d by outcome per day", new UsageQuery { From = now.AddDays(-90), To = now, GroupBy = UsageGrouping.Outcome, Interval = UsageInterval.Day, KeyId = key });
        Time(reader, "model filter: 24 h by token", new UsageQuery { From = now.AddDays(-1), To = now, GroupBy = UsageGrouping.Token, Model = Models[1] });
        Time(reader, "model filter: 7 d by token", new UsageQuery { From = now.AddDays(-7), To = now, GroupBy = UsageGrouping.Token, Model = Models[1] });
        TimeCall("anomalies over 90 d", () => reader.GetAnomalies(now.AddDays(-90), now).Count);
        TimeCall("key history (one key)", () => reader.GetKeyHistory(key).Count);
        if (reuse is null)
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static IEnumerable<(string Name, UsageQuery Query)> Reports(DateTimeOffset now)
    {
        (string, int)[] ranges = [("24 h", 1), ("7 d", 7), ("30 d", 30), ("90 d", 90)];
        foreach (var grouping in new[] { UsageGrouping.Key, UsageGrouping.Model, UsageGrouping.Token, UsageGrouping.None })
        {
            foreach (var interval in new[] { UsageInterval.Total, UsageInterval.Day, UsageInterval.Hour })
            {
                foreach (var (range, days) in ranges)
                {
                    // By key per hour over a month or more is ~a row per request: not a report anyone reads.
                    if (grouping == UsageGrouping.Key && interval == UsageInterval.Hour && days > 7)
                    {
                        continue;
                    }

                    string name = $"{range} by {grouping.ToString().ToLowerInvariant()}" + (interval == UsageInterval.Total ? "" : $" per {interval.ToString().ToLowerInvariant()}");
                    yield return (name, new UsageQuery { From = now.AddDays(-days), To = now, GroupBy = grouping, Interval = interval });
                }
            }
        }
    }

    private static async Task WriteAsync(string dir, DateTimeOffset now, int perHour)
    {
        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        long written = 0;
        using (var store = new UsageStore(dir, new UsageStoreOptions { RequestLog = false, QueueCapacity = 1_000_000 }))
        {
            var first = now.AddDays(-90);
            for (var hour = first; hour < now; hour = hour.AddHours(1))
            {
                for (int i = 0; i < perHour; i++)
                {
                    store.Record(Record(random, hour.AddSeconds(random.Next(3600))));
                }

                written += perHour;
                if (written % 200_000 < perHour)
                {
                    await store.FlushAsync();
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written:N0} requests over 90 days written in {clock.Elapsed.TotalSeconds:0} s"));
    }

    private static UsageRecord Record(Random random, DateTimeOffset at)
    {
        int roll = random.Next(100);
        var failure = roll < 4 ? FailureKind.RateLimited : roll < 5 ? FailureKind.Upstream : (FailureKind?)null;
        return new UsageRecord
        {
            Timestamp = at,
            Route = "generateContent",
            TokenName = Tokens[random.Next(Tokens.Length)],
            Model = Models[random.Next(Models.Length)],
            KeyId = "k_" + random.Next(Keys).ToString("x12", CultureInfo.InvariantCulture),
            Status = failure switch { FailureKind.RateLimited => 429, FailureKind.Upstream => 503, _ => 200 },
            Failure = failure,
            Outcome = failure is { } kind ? UsageOutcomes.Of(kind) : UsageOutcomes.Success,
            Attempts = 1,
            Latency = TimeSpan.FromMilliseconds(200 + random.Next(5000)),
            TimeToFirstByte = TimeSpan.FromMilliseconds(100 + random.Next(1000)),
            InputTokens = failure is null ? random.Next(10, 4000) : null,
            OutputTokens = failure is null ? random.Next(1, 2000) : null,
        };
    }

    private static void Time(UsageReader reader, string what, UsageQuery query) => TimeCall(what, () => reader.GetUsage(query).Rows.Count);

    private static void TimeCall(string what, Func<int> call)
    {
        var sw = Stopwatch.StartNew();
        int rows = call();
        double cold = sw.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            sw.Restart();
            call();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-38} {rows,8:N0} rows  cold {cold,8:0.0} ms  warm {times[2],8:0.0} ms"));
    }
}
