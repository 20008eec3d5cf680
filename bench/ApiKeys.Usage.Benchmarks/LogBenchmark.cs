using System.Diagnostics;
using System.Globalization;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Benchmarks;

/// <summary>
/// Writes ROWS requests through <see cref="UsageStore"/> (the default retention and cap; 50 keys, one of them rare, 3 models,
/// 6 tokens, 5 % errors, spread over the last 6.9 days), then reports the file's size and the request log's page times
/// (and copies the file to KEEP when given, for <c>sqlite3 KEEP "SELECT name, sum(pgsize) FROM dbstat GROUP BY name"</c>).
/// </summary>
internal static class LogBenchmark
{
    private static readonly string[] Models = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-embedding-001"];
    private static readonly string[] Routes = ["generateContent", "streamGenerateContent", "chat/completions", "embedContent"];
    private static readonly string[] Tokens = ["ci", "laptop", "batch", "web", "mobile", "rare-token"];

    public static async Task<int> RunAsync(int rows, string? keep)
    {
        string dir = Path.Combine(Path.GetTempPath(), "apikeys-usage-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var start = now - TimeSpan.FromDays(6.9);
        var clock = Stopwatch.StartNew();
        using (var store = new UsageStore(dir, new UsageStoreOptions { QueueCapacity = 1_000_000 }))
        {
            for (int i = 0; i < rows; i++)
            {
                store.Record(Record(random, start + ((now - start) * i / rows), i));
                if (i % 50_000 == 49_999)
                {
                    await store.FlushAsync();
                }
            }
        }

        double writeSeconds = clock.Elapsed.TotalSeconds;
        long size = Directory.GetFiles(dir, "usage.db*").Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} requests written in {writeSeconds:0.0} s ({rows / writeSeconds:N0}/s); usage.db: {size / 1024.0 / 1024.0:0.0} MB ({(double)size / rows:0.0} bytes a request)"));

        using var reader = new UsageReader(dir);
        var first = reader.GetLog(new RequestLogQuery());
        long deep = first.LastId - 500_000;
        Time(reader, "first page (50 newest)", new RequestLogQuery());
        Time(reader, "page 10,000 deep (cursor)", new RequestLogQuery { Before = deep });
        Time(reader, "by key (2 % of rows)", new RequestLogQuery { KeyId = "k_000000000007" });
        Time(reader, "by rare key (0.01 %)", new RequestLogQuery { KeyId = "k_rare0000000" });
        Time(reader, "by token", new RequestLogQuery { Token = "batch" });
        Time(reader, "by rare token (0.1 %)", new RequestLogQuery { Token = "rare-token" });
        Time(reader, "by model", new RequestLogQuery { Model = "gemini-2.5-pro" });
        Time(reader, "errors (status >= 400)", new RequestLogQuery { Status = new StatusFilter(400, 999, true) });
        Time(reader, "status 429", new RequestLogQuery { Status = new StatusFilter(429, 429) });
        Time(reader, "a one-hour window 3 days ago", new RequestLogQuery { From = now.AddDays(-3), To = now.AddDays(-3).AddHours(1) });
        Time(reader, "status 500 (0.05 %)", new RequestLogQuery { Status = new StatusFilter(500, 500) });
        Time(reader, "key + token + errors", new RequestLogQuery { KeyId = "k_000000000007", Token = "batch", Status = new StatusFilter(400, 999, true) });
        Time(reader, "key + rare token (20 rows in all)", new RequestLogQuery { KeyId = "k_000000000007", Token = "rare-token" });
        Time(reader, "following (after the last id)", new RequestLogQuery { After = first.LastId - 10 });
        TimeUsage(reader, now);
        if (keep is not null)
        {
            File.Copy(Path.Combine(dir, "usage.db"), keep, overwrite: true);
        }

        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static UsageRecord Record(Random random, DateTimeOffset at, int i)
    {
        bool error = random.Next(100) < 5;
        bool serverError = random.Next(2000) == 0;
        string key = i % 10_000 == 0 ? "k_rare0000000" : "k_" + random.Next(50).ToString("D12", CultureInfo.InvariantCulture);
        string token = i % 1000 == 0 ? "rare-token" : Tokens[random.Next(Tokens.Length - 1)];
        return new UsageRecord
        {
            Timestamp = at,
            Route = Routes[random.Next(Routes.Length)],
            TokenName = token,
            Model = Models[random.Next(Models.Length)],
            KeyId = key,
            Status = serverError ? 500 : error ? 429 : 200,
            Failure = serverError ? FailureKind.Upstream : error ? FailureKind.RateLimited : null,
            Outcome = serverError ? "Upstream" : error ? "RateLimited" : UsageOutcomes.Success,
            Attempts = error ? 3 : 1 + (random.Next(20) == 0 ? 1 : 0),
            Latency = TimeSpan.FromMilliseconds(200 + random.Next(5000)),
            TimeToFirstByte = TimeSpan.FromMilliseconds(100 + random.Next(1000)),
            InputTokens = error ? null : random.Next(10, 4000),
            OutputTokens = error ? null : random.Next(1, 2000),
            CachedTokens = error || random.Next(4) != 0 ? null : random.Next(0, 1000),
            ThinkingTokens = error || random.Next(2) != 0 ? null : random.Next(0, 3000),
        };
    }

    private static void Time(UsageReader reader, string what, RequestLogQuery query)
    {
        var times = new List<double>();
        int count = 0;
        for (int i = 0; i < 21; i++)
        {
            var sw = Stopwatch.StartNew();
            count = reader.GetLog(query).Entries.Count;
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-34} {count,4} rows  median {times[10],7:0.00} ms  max {times[^1],7:0.00} ms"));
    }

    private static void TimeUsage(UsageReader reader, DateTimeOffset now)
    {
        foreach (var (what, query) in new[]
        {
            ("usage 24 h by key", new UsageQuery { From = now.AddHours(-24), To = now, GroupBy = UsageGrouping.Key }),
            ("usage 7 d by model per day", new UsageQuery { From = now.AddDays(-7), To = now, GroupBy = UsageGrouping.Model, Interval = UsageInterval.Day }),
        })
        {
            var sw = Stopwatch.StartNew();
            var report = reader.GetUsage(query);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-34} {report.Rows.Count,4} rows  {sw.Elapsed.TotalMilliseconds,7:0.00} ms"));
        }
    }
}
