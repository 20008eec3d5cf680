using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Usage.Tests;

public sealed class SchemaMigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Records.Start.AddHours(2));

    public void Dispose() => _dir.Dispose();

    private string DbPath => Path.Combine(_dir.Path, "usage.db");

    [Fact]
    public async Task Open_FormatOneFile_EveryLogRowAggregateAndTransitionReadAfterTheUpgrade()
    {
        FormatOneFile.Write(DbPath);

        using (var store = new UsageStore(_dir.Path, timeProvider: _time))
        {
            Assert.True(store.IsHealthy, store.Status);
            store.Record(Records.Success(_time.GetUtcNow(), key: "k_new00000000", input: 5000));
            await store.FlushAsync();
        }

        using var reader = new UsageReader(_dir.Path);
        var rows = AllRows(reader, new RequestLogQuery { Limit = 333 });
        Assert.Equal(FormatOneFile.Rows + 1, rows.Count);
        Assert.Equal(FormatOneFile.Rows + 1, rows[0].Id);
        Assert.Equal("k_new00000000", rows[0].KeyId);
        foreach (var entry in rows.Skip(1))
        {
            var expected = FormatOneFile.Row((int)entry.Id);
            // Format 2 keeps whole seconds: the conversion drops the milliseconds, nothing else.
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected.At.ToUnixTimeSeconds()), entry.At);
            Assert.Equal((expected.Key, expected.Model, expected.Token, expected.Status, (long?)expected.InputTokens),
                (entry.KeyId, entry.Model, entry.Token, entry.Status, entry.InputTokens));
            Assert.Equal(("generateContent", expected.Status == 200 ? "Success" : "RateLimited", 150L, (long?)90, (long?)20, (long?)null, (long?)3),
                (entry.Route, entry.Outcome, entry.LatencyMs, entry.TtfbMs, entry.OutputTokens, entry.CachedTokens, entry.ThinkingTokens));
        }

        var rare = AllRows(reader, new RequestLogQuery { KeyId = "k_rare0000000", Status = new StatusFilter(429, 429), Limit = 5 });
        var expectedRare = Enumerable.Range(1, FormatOneFile.Rows).Where(i => i % 100 == 0 && i % 7 == 0).Select(i => (long)i).Reverse();
        Assert.Equal(expectedRare, rare.Select(r => r.Id));

        var byKey = reader.GetUsage(new UsageQuery { From = Records.Start, To = _time.GetUtcNow(), GroupBy = UsageGrouping.Key });
        var old = Enumerable.Range(1, FormatOneFile.Rows).Select(FormatOneFile.Row).ToList();
        Assert.Equal(FormatOneFile.Rows + 1, byKey.Total.Counts.Requests);
        Assert.Equal(old.Sum(r => (long)r.InputTokens) + 5000, byKey.Total.Counts.InputTokens);
        Assert.Equal(old.Count(r => r.Key == "k_rare0000000"), byKey.Rows.Single(r => r.Group == "k_rare0000000").Counts.Requests);
        Assert.Equal(old.Count(r => r.Status == 429), byKey.Total.Counts.Failures);
        var cooling = Assert.Single(reader.GetKeyHistory("k_bbbbbbbbbbbb"));
        Assert.Equal(("Cooling", Records.Start.AddMinutes(1)), (cooling.Kind, cooling.Until));
    }

    [Fact]
    public void UsageReader_FormatOneFile_ClearErrorAndFileLeftAsItIs()
    {
        FormatOneFile.Write(DbPath);
        byte[] before = File.ReadAllBytes(DbPath);

        using var reader = new UsageReader(_dir.Path);
        var error = Assert.Throws<UsageStoreException>(() => reader.GetLog(new RequestLogQuery()));

        Assert.Contains("format 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("apikeys serve", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public async Task Open_CorruptFormatOneFile_DegradedAndFileNeverOverwritten()
    {
        FormatOneFile.Write(DbPath);
        byte[] bytes = File.ReadAllBytes(DbPath);
        // Garbage over every page after the schema's first: the log's and the aggregates' b-trees.
        int pageSize = (bytes[16] << 8) | bytes[17];
        for (int i = 2 * pageSize; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        File.WriteAllBytes(DbPath, bytes);

        using (var store = new UsageStore(_dir.Path, timeProvider: _time))
        {
            store.Record(Records.Success(_time.GetUtcNow()));
            await store.FlushAsync();

            Assert.False(store.IsHealthy);
            Assert.StartsWith("degraded: " + DbPath + " is not a usage database or is corrupt", store.Status, StringComparison.Ordinal);
        }

        Assert.Equal(bytes, File.ReadAllBytes(DbPath));
    }

    private static List<RequestLogEntry> AllRows(UsageReader reader, RequestLogQuery query)
    {
        var rows = new List<RequestLogEntry>();
        long? before = null;
        do
        {
            var page = reader.GetLog(query with { Before = before });
            rows.AddRange(page.Entries);
            before = page.NextBefore;
        }
        while (before is not null);
        return rows;
    }
}
