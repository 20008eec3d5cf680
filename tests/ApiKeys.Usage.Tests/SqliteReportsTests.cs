using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Storage;
using ApiKeys.Usage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Usage.Tests;

/// <summary>Reports grouped in SQL (running totals, or hourly grouped) against the same hourly rows grouped in memory (what Redis's reports do).</summary>
public sealed class SqliteReportsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetUsage_EveryGroupingIntervalAndRange_SameRowsAsGroupingTheHoursInMemory()
    {
        var time = new FakeTimeProvider(Records.Start.AddHours(60));
        using (var store = new UsageStore(_dir.Path, timeProvider: time))
        {
            var random = new Random(12);
            // Three batches; the second and third hold hours before ones already written (late records).
            foreach (var (first, last) in new[] { (0, 40), (20, 60), (5, 15) })
            {
                for (int i = 0; i < 400; i++)
                {
                    var at = Records.Start.AddHours(random.Next(first, last)).AddMinutes(random.Next(60));
                    string key = "k_" + random.Next(4), token = random.Next(3) == 0 ? "batch" : "ci";
                    store.Record(random.Next(6) == 0
                        ? Records.RateLimited(at, key: key, token: token)
                        : Records.Success(at, key: key, token: token, model: random.Next(2) == 0 ? "gemini-2.5-pro" : "gemini-2.5-flash", input: random.Next(1000)));
                }

                await store.FlushAsync();
            }
        }

        using var reader = new UsageReader(_dir.Path);
        using var database = UsageDatabase.OpenReader(Path.Combine(_dir.Path, UsageDatabase.FileName));
        var hours = new SqliteAggregates(database).Read(long.MinValue, long.MaxValue);
        int compared = 0, listedRows = 0;
        foreach (var query in Queries())
        {
            long from = HourlyKey.HourOf(query.From), to = HourlyKey.HourOf(query.To);
            var (expected, total) = UsageReportBuilder.Build(query, hours.Where(h => h.Key.Hour >= from && h.Key.Hour <= to));
            var report = reader.GetUsage(query);

            Assert.Equal(Describe(expected), Describe(report.Rows));
            Assert.Equal(total.Counts.Values.ToArray(), report.Total.Counts.Values.ToArray());
            compared += expected.Count;
            if (query.GroupValues is { } values)
            {
                // The listed values' rows are those of the report of every value, nothing else.
                var every = reader.GetUsage(query with { GroupValues = null }).Rows.Where(r => values.Contains(r.Group));
                Assert.Equal(Describe(every), Describe(report.Rows));
                listedRows += report.Rows.Count;
            }
        }

        Assert.True(compared > 500, $"only {compared} rows compared");
        Assert.True(listedRows > 100, $"only {listedRows} rows of listed values compared");
    }

    private static IEnumerable<UsageQuery> Queries()
    {
        var ranges = new[] { (0, 60), (10, 40), (30, 30), (41, 59), (-50, 5) };
        foreach (var (from, to) in ranges)
        {
            foreach (var grouping in Enum.GetValues<UsageGrouping>())
            {
                foreach (var interval in Enum.GetValues<UsageInterval>())
                {
                    var query = new UsageQuery { From = Records.Start.AddHours(from), To = Records.Start.AddHours(to).AddMinutes(59), GroupBy = grouping, Interval = interval };
                    yield return query;
                    yield return query with { KeyId = "k_2" };
                    yield return query with { Model = "gemini-2.5-pro", Token = "ci" };
                    if (grouping != UsageGrouping.None)
                    {
                        // Values of every dimension and one never seen: only the grouping's own can match.
                        string[] listed = ["k_1", "k_3", "gemini-2.5-pro", "batch", "k_never"];
                        yield return query with { GroupValues = listed };
                        yield return query with { GroupValues = listed, Token = "ci" };
                    }
                }
            }
        }
    }

    [Fact]
    public async Task GetUsage_GroupValuesNoneKnownOrWithoutAGrouping_NoRowsOrAClearError()
    {
        using (var store = new UsageStore(_dir.Path, timeProvider: new FakeTimeProvider(Records.Start)))
        {
            store.Record(Records.Success(Records.Start, key: "k_1"));
            await store.FlushAsync();
        }

        using var reader = new UsageReader(_dir.Path);
        var query = new UsageQuery { From = Records.Start, To = Records.Start.AddHours(1), GroupBy = UsageGrouping.Key };
        Assert.Single(reader.GetUsage(query).Rows);
        Assert.Empty(reader.GetUsage(query with { GroupValues = ["k_never"] }).Rows);
        Assert.Empty(reader.GetUsage(query with { GroupValues = [] }).Rows);
        Assert.Throws<ArgumentException>(() => reader.GetUsage(query with { GroupBy = UsageGrouping.None, GroupValues = ["k_1"] }));
    }

    private static List<string> Describe(IEnumerable<UsageRow> rows) =>
        [.. rows.Select(r => $"{r.Group} {r.Start:O} {string.Join(",", r.Counts.Values.ToArray())}")];
}
