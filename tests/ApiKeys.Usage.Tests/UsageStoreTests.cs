using ApiKeys.Pool;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Usage.Tests;

public sealed class UsageStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Records.Start);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FlushAsync_ScriptedRecords_AggregatesAndLogReadBackExactly()
    {
        using var store = new UsageStore(_dir.Path, timeProvider: _time);
        for (int i = 0; i < 5; i++)
        {
            store.Record(Records.Success(_time.GetUtcNow(), token: "alice"));
        }

        store.Record(Records.RateLimited(_time.GetUtcNow(), token: "bob"));

        await store.FlushAsync();
        using var reader = new UsageReader(_dir.Path);
        var report = reader.GetUsage(new UsageQuery { From = Records.Start.AddHours(-1), To = Records.Start, GroupBy = UsageGrouping.Token });
        var log = reader.GetLog(new RequestLogQuery());

        var total = report.Total.Counts;
        Assert.Equal((6L, 5L, 1L, 2L), (total.Requests, total.Successes, total.Failures, total.Retries));
        Assert.Equal((50L, 100L, 10L, 15L), (total.InputTokens, total.OutputTokens, total.CachedTokens, total.ThinkingTokens));
        Assert.Equal(["alice", "bob"], report.Rows.Select(r => r.Group));
        Assert.Equal(1.0, report.Rows[1].ErrorRate);
        Assert.Equal(6, log.Entries.Count);
        Assert.Equal((429, "RateLimited", FailureKind.RateLimited, 2), (log.Entries[0].Status, log.Entries[0].Outcome, log.Entries[0].Failure, log.Entries[0].Retries));
        Assert.Equal("ok: " + store.Path, store.Status);
    }

    [Fact]
    public async Task Dispose_WritesWhatIsWaiting_AndANewStoreAddsToIt()
    {
        using (var first = new UsageStore(_dir.Path, timeProvider: _time))
        {
            first.Record(Records.Success(_time.GetUtcNow()));
        }

        using (var second = new UsageStore(_dir.Path, timeProvider: _time))
        {
            second.Record(Records.Success(_time.GetUtcNow()));
            await second.FlushAsync();
        }

        using var reader = new UsageReader(_dir.Path);
        Assert.Equal(2, reader.GetUsage(new UsageQuery { From = Records.Start, To = Records.Start }).Total.Counts.Requests);
        Assert.Equal(2, reader.GetLog(new RequestLogQuery()).Entries.Count);
    }

    [Fact]
    public async Task FlushAsync_TwoStoresOnOneFile_WritingInTurn_EveryRowKeptOnceAndBothStayHealthy()
    {
        // Two gateways on one store directory (one usage.db): each writes after the other has, so neither may assume it
        // knows the file's last log id or its names from its own writes.
        using var first = new UsageStore(_dir.Path, timeProvider: _time);
        using var second = new UsageStore(_dir.Path, timeProvider: _time);
        first.Record(Records.Success(_time.GetUtcNow(), token: "alice"));
        await first.FlushAsync();
        second.Record(Records.Success(_time.GetUtcNow(), token: "bob"));
        second.Record(Records.RateLimited(_time.GetUtcNow(), token: "bob"));
        await second.FlushAsync();
        first.Record(Records.Success(_time.GetUtcNow(), token: "carol", model: "gemini-2.5-pro"));
        await first.FlushAsync();

        Assert.Equal(("ok: " + first.Path, "ok: " + second.Path, 0L, 0L), (first.Status, second.Status, first.Dropped, second.Dropped));
        using var reader = new UsageReader(_dir.Path);
        var log = reader.GetLog(new RequestLogQuery());
        Assert.Equal(["carol", "bob", "bob", "alice"], log.Entries.Select(e => e.Token));
        Assert.Equal(4, log.Entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal("gemini-2.5-pro", log.Entries[0].Model);
        var report = reader.GetUsage(new UsageQuery { From = Records.Start, To = Records.Start, GroupBy = UsageGrouping.Token });
        Assert.Equal((4L, 3L, 1L), (report.Total.Counts.Requests, report.Total.Counts.Successes, report.Total.Counts.Failures));
        Assert.Equal([("alice", 1L), ("bob", 2L), ("carol", 1L)], report.Rows.Select(r => (r.Group, r.Counts.Requests)).Order());
    }

    [Fact]
    public async Task FlushAsync_LogRowsPastTheirRetention_RemovedWhileAggregatesStay()
    {
        var options = new UsageStoreOptions { LogRetention = TimeSpan.FromDays(7), AggregateRetention = TimeSpan.FromDays(90) };
        using var store = new UsageStore(_dir.Path, options, timeProvider: _time);
        store.Record(Records.Success(_time.GetUtcNow()));
        await store.FlushAsync();

        _time.Advance(TimeSpan.FromDays(8));
        store.Record(Records.Success(_time.GetUtcNow()));
        await store.FlushAsync();

        using var reader = new UsageReader(_dir.Path);
        var log = reader.GetLog(new RequestLogQuery());
        Assert.Equal(_time.GetUtcNow(), Assert.Single(log.Entries).At);
        Assert.Equal(2, reader.GetUsage(new UsageQuery { From = Records.Start, To = _time.GetUtcNow() }).Total.Counts.Requests);

        _time.Advance(TimeSpan.FromDays(85));
        await store.FlushAsync();
        Assert.Equal(1, reader.GetUsage(new UsageQuery { From = Records.Start, To = _time.GetUtcNow() }).Total.Counts.Requests);
    }

    [Fact]
    public async Task FlushAsync_MoreRowsThanTheCap_KeepsTheNewest()
    {
        var options = new UsageStoreOptions { MaxLogRows = 1000 };
        using var store = new UsageStore(_dir.Path, options, timeProvider: _time);
        for (int i = 0; i < 1500; i++)
        {
            store.Record(Records.Success(Records.Start.AddMilliseconds(i), input: i));
        }

        await store.FlushAsync();
        _time.Advance(TimeSpan.FromMinutes(11));
        await store.FlushAsync();

        using var reader = new UsageReader(_dir.Path);
        var rows = AllRows(reader, new RequestLogQuery { Limit = 1000 });
        Assert.Equal(1000, rows.Count);
        Assert.Equal(500, rows.Min(r => r.InputTokens));
        Assert.Equal(1500, reader.GetUsage(new UsageQuery { From = Records.Start, To = Records.Start }).Total.Counts.Requests);
    }

    [Fact]
    public async Task Open_CorruptFile_DegradedWithTheFileAndTheFix_FileLeftAsItIs()
    {
        string path = Path.Combine(_dir.Path, "usage.db");
        byte[] garbage = [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))];
        File.WriteAllBytes(path, garbage);
        var logs = new FakeLogCollector();

        using (var store = new UsageStore(_dir.Path, logger: new FakeLogger<UsageStore>(logs), timeProvider: _time))
        {
            store.Record(Records.Success(_time.GetUtcNow()));
            await store.FlushAsync();

            Assert.False(store.IsHealthy);
            Assert.StartsWith("degraded: " + path + " is not a usage database or is corrupt", store.Status, StringComparison.Ordinal);
            Assert.Contains("move the file away", store.Status, StringComparison.Ordinal);
            Assert.Equal(1, store.Dropped);
        }

        var line = Assert.Single(logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains(path, line.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task GetLog_FilteredPages_KeysetPaginationSeesEveryRowOnce()
    {
        using var store = new UsageStore(_dir.Path, timeProvider: _time);
        for (int i = 0; i < 300; i++)
        {
            store.Record(i % 3 == 0 ? Records.RateLimited(Records.Start.AddSeconds(i), key: "k_" + (i % 5)) : Records.Success(Records.Start.AddSeconds(i), key: "k_" + (i % 5)));
        }

        await store.FlushAsync();
        using var reader = new UsageReader(_dir.Path);

        var byKey = AllRows(reader, new RequestLogQuery { KeyId = "k_2", Limit = 7 });
        var errors = AllRows(reader, new RequestLogQuery { Status = new StatusFilter(400, 999, true), Limit = 33 });
        var window = AllRows(reader, new RequestLogQuery { From = Records.Start.AddSeconds(100), To = Records.Start.AddSeconds(200), Limit = 50 });
        var unknown = reader.GetLog(new RequestLogQuery { Token = "nobody" });

        Assert.Equal(60, byKey.Count);
        Assert.All(byKey, r => Assert.Equal("k_2", r.KeyId));
        Assert.Equal(byKey.Count, byKey.Select(r => r.Id).Distinct().Count());
        Assert.Equal(100, errors.Count);
        Assert.All(errors, r => Assert.Equal(429, r.Status));
        Assert.Equal(100, window.Count);
        Assert.Equal(Records.Start.AddSeconds(199), window[0].At);
        Assert.Empty(unknown.Entries);
    }

    [Fact]
    public async Task GetLog_After_FollowsNewRowsOldestFirst()
    {
        using var store = new UsageStore(_dir.Path, timeProvider: _time);
        store.Record(Records.Success(Records.Start));
        await store.FlushAsync();
        using var reader = new UsageReader(_dir.Path);
        long last = reader.GetLog(new RequestLogQuery()).LastId;

        store.Record(Records.Success(Records.Start.AddSeconds(1), token: "second"));
        store.Record(Records.Success(Records.Start.AddSeconds(2), token: "third"));
        await store.FlushAsync();
        var next = reader.GetLog(new RequestLogQuery { After = last });

        Assert.Equal(["second", "third"], next.Entries.Select(e => e.Token));
    }

    [Fact]
    public async Task RecordKeyChange_History_NewestFirstWithReasonAndUntil()
    {
        using var store = new UsageStore(_dir.Path, timeProvider: _time);
        var until = Records.Start.AddMinutes(1);
        store.RecordKeyChange(new KeyEventArgs(KeyEventKind.Cooling, "k_aaaaaaaaaaaa", "AIza...0001", Records.Start, FailureKind.RateLimited, until, "gemini-2.5-flash", "rate limited"));
        store.RecordKeyChange(new KeyEventArgs(KeyEventKind.Restored, "k_aaaaaaaaaaaa", "AIza...0001", until));
        store.RecordKeyChange(new KeyEventArgs(KeyEventKind.Disabled, "k_bbbbbbbbbbbb", "AIza...0002", until, FailureKind.InvalidKey, reason: "invalid"));
        await store.FlushAsync();

        using var reader = new UsageReader(_dir.Path);
        var history = reader.GetKeyHistory("k_aaaaaaaaaaaa");

        Assert.Equal(["Restored", "Cooling"], history.Select(h => h.Kind));
        Assert.Equal(("RateLimited", until, "gemini-2.5-flash", "rate limited"), (history[1].Failure, history[1].Until, history[1].Model, history[1].Reason));
        Assert.Equal(3, reader.GetKeyHistory(null).Count);
    }

    [Fact]
    public async Task Anomalies_HourFarAboveItsBaseline_FlaggedLoggedAndReported()
    {
        var logs = new FakeLogCollector();
        var options = new UsageStoreOptions { AnomalyMinRequests = 50 };
        using var store = new UsageStore(_dir.Path, options, logger: new FakeLogger<UsageStore>(logs), timeProvider: _time);
        for (int hour = 0; hour < 24; hour++)
        {
            for (int i = 0; i < 10; i++)
            {
                store.Record(Records.Success(Records.Start.AddHours(hour), token: "steady"));
                store.Record(Records.Success(Records.Start.AddHours(hour), token: "burst"));
            }
        }

        var now = Records.Start.AddHours(24);
        for (int i = 0; i < 60; i++)
        {
            store.Record(Records.Success(now, token: "burst"));
            store.Record(Records.Success(now, token: "steady"));
        }

        for (int i = 0; i < 20; i++)
        {
            store.Record(Records.Success(now, token: "steady"));
        }

        _time.SetUtcNow(now.AddMinutes(5));
        await store.FlushAsync();

        using var reader = new UsageReader(_dir.Path, options: options);
        var flagged = reader.GetAnomalies(now, now);
        Assert.Equal(2, flagged.Count(a => a.Dimension == "token"));
        Assert.Contains(flagged, a => a is { Dimension: "token", Name: "burst", Requests: 60, BaselineMedian: 10 });
        Assert.Contains(store.Anomalies, a => a.Name == "burst");
        Assert.Contains(logs.GetSnapshot(), r => r.Message.Contains("Unusual activity: token burst made 60 requests", StringComparison.Ordinal));
    }

    [Fact]
    public void Anomalies_BelowTheMinimum_NotFlagged()
    {
        var options = new UsageStoreOptions { AnomalyMinRequests = 100 };
        using var store = new UsageStore(_dir.Path, options, timeProvider: _time);
        for (int i = 0; i < 99; i++)
        {
            store.Record(Records.Success(Records.Start));
        }

        store.Dispose();
        using var reader = new UsageReader(_dir.Path, options: options);

        Assert.Empty(reader.GetAnomalies(Records.Start, Records.Start));
    }

    [Fact]
    public void Open_File_OwnerOnly()
    {
        using var store = new UsageStore(_dir.Path, timeProvider: _time);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
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
