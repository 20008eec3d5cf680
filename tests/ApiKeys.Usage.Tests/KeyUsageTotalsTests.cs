using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Usage.Tests;

/// <summary>The keys page's "today": a few keys' totals over a range of hours, the first and last hour included.</summary>
public sealed class KeyUsageTotalsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Records.Start);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(2)] // hours listed
    [InlineData(40 * 24)] // past the listed hours: a range
    public async Task GetKeyTotals_AskedKeysOverTheRange_SumsTheirHoursOnly(int hoursBefore)
    {
        using (var store = new UsageStore(_dir.Path, timeProvider: _time))
        {
            store.Record(Records.Success(Records.Start.AddHours(-hoursBefore - 1), key: "k_aaaaaaaaaaaa"));
            store.Record(Records.Success(Records.Start.AddHours(-hoursBefore).AddMinutes(59), key: "k_aaaaaaaaaaaa", input: 1, output: 2));
            store.Record(Records.Success(Records.Start.AddMinutes(30), key: "k_aaaaaaaaaaaa", input: 3, output: 4));
            store.Record(Records.RateLimited(Records.Start.AddMinutes(1), key: "k_bbbbbbbbbbbb"));
            store.Record(Records.Success(Records.Start, key: "k_cccccccccccc"));
            store.Record(Records.Success(Records.Start.AddHours(1), key: "k_aaaaaaaaaaaa"));
            await store.FlushAsync();
        }

        using var reader = new UsageReader(_dir.Path);
        var totals = reader.GetKeyTotals(["k_aaaaaaaaaaaa", "k_bbbbbbbbbbbb", "k_unknown0000"], Records.Start.AddHours(-hoursBefore), Records.Start.AddMinutes(5));

        Assert.Equal(["k_aaaaaaaaaaaa", "k_bbbbbbbbbbbb"], totals.Keys.Order(StringComparer.Ordinal));
        var a = totals["k_aaaaaaaaaaaa"];
        Assert.Equal((2L, 0L, 4L, 6L), (a.Requests, a.Failures, a.InputTokens, a.OutputTokens));
        Assert.Equal((1L, 1L), (totals["k_bbbbbbbbbbbb"].Requests, totals["k_bbbbbbbbbbbb"].Failures));
    }
}
