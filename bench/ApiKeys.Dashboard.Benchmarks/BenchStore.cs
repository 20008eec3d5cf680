using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Http.Usage;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Usage;

namespace ApiKeys.Dashboard.Benchmarks;

/// <summary>
/// A store directory for the benchmark: KEYS made-up Gemini-shaped keys (labels, 20 projects, one in 20 disabled) written
/// as <c>api_keys.json</c> in one go, ROWS requests through <see cref="UsageStore"/> spread over the last 6.9 days (every
/// key used, 4 models, 6 client tokens, 5 % errors), and the admin password.
/// </summary>
internal static class BenchStore
{
    public const string Password = "a benchmark password, not a secret";

    private static readonly string[] Models = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-embedding-001"];
    private static readonly string[] Tokens = ["ci", "laptop", "batch", "web", "mobile", "rare-token"];

    public static string Secret(int i) => "AIzaSyBENCH" + i.ToString("D8", CultureInfo.InvariantCulture) + new string('x', 20);

    public static async Task<string> CreateAsync(int keys, int rows, string? dir)
    {
        dir ??= Path.Combine(Path.GetTempPath(), "apikeys-dashboard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
        {
            // The store refuses a directory or files other users can read.
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        WriteKeys(dir, keys);
        await new AdminPasswordFile(dir).WriteAsync(AdminPassword.Create(Password, DateTimeOffset.UtcNow));
        var clock = Stopwatch.StartNew();
        await WriteUsageAsync(dir, keys, rows);
        long size = Directory.GetFiles(dir, "usage.db*").Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store: {keys:N0} keys; {rows:N0} requests logged in {clock.Elapsed.TotalSeconds:0.0} s; usage.db {size / 1024.0 / 1024.0:0.0} MB"));
        return dir;
    }

    private static void WriteKeys(string dir, int keys)
    {
        string path = Path.Combine(dir, "api_keys.json");
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("format", "apikeys/1");
            json.WriteStartArray("keys");
            for (int i = 0; i < keys; i++)
            {
                json.WriteStartObject();
                json.WriteString("key", Secret(i));
                json.WriteString("label", "bench-" + i.ToString(CultureInfo.InvariantCulture));
                json.WriteString("project", "project-" + (i % 20).ToString(CultureInfo.InvariantCulture));
                json.WriteBoolean("disabled", i % 20 == 7);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task WriteUsageAsync(string dir, int keys, int rows)
    {
        var ids = Enumerable.Range(0, keys).Select(i => KeyIds.For(Secret(i))).ToArray();
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var start = now - TimeSpan.FromDays(6.9);
        using var store = new UsageStore(dir, new UsageStoreOptions { QueueCapacity = 1_000_000 });
        for (int i = 0; i < rows; i++)
        {
            store.Record(Record(random, start + ((now - start) * i / rows), ids[random.Next(ids.Length)], i));
            if (i % 50_000 == 49_999)
            {
                await store.FlushAsync();
            }
        }

        await store.FlushAsync();
    }

    private static UsageRecord Record(Random random, DateTimeOffset at, string keyId, int i)
    {
        bool error = random.Next(100) < 5;
        return new UsageRecord
        {
            Timestamp = at,
            Route = "generateContent",
            TokenName = i % 1000 == 0 ? "rare-token" : Tokens[random.Next(Tokens.Length - 1)],
            Model = Models[random.Next(Models.Length)],
            KeyId = keyId,
            Status = error ? 429 : 200,
            Failure = error ? FailureKind.RateLimited : null,
            Outcome = error ? "RateLimited" : UsageOutcomes.Success,
            Attempts = error ? 3 : 1,
            Latency = TimeSpan.FromMilliseconds(200 + random.Next(5000)),
            TimeToFirstByte = TimeSpan.FromMilliseconds(100 + random.Next(1000)),
            InputTokens = error ? null : random.Next(10, 4000),
            OutputTokens = error ? null : random.Next(1, 2000),
        };
    }
}
