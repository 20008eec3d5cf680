using System.Globalization;
using ApiKeys.Keys;
using ApiKeys.Pool;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ApiKeys.Tests.Behaviour;

/// <summary>
/// The key pool's behaviour, one suite for every backend (issue 10): the failure table through leases and reports, the events,
/// model cooldowns, project siblings, disabling and revalidation, lease caps, and when no key is available. It uses the
/// public API only. Each backend's test project derives a class that makes its pools; a case a backend does not support
/// yet is overridden there with <c>[Fact(Skip = ...)]</c> naming why, so the gap shows in every test run.
/// </summary>
/// <remarks>
/// A derived class joins the collection <see cref="Collection"/>, which runs on its own: the <c>ApiKeys</c> meter is one
/// per process, so the metrics cases count exactly only when no other test reports meanwhile.
/// </remarks>
public abstract partial class KeyPoolBehaviourTests : IDisposable
{
    /// <summary>The collection every backend's suite joins.</summary>
    public const string Collection = "Key pool behaviour";

    private const string ProjectA = "projects/111111111111";
    private const string ProjectB = "projects/222222222222";
    private static int s_nextKey = 700_000;
    private readonly List<IDisposable> _owned = [];

    /// <summary>What the pools of this test logged (pass <see cref="Logger{T}"/> to the backend).</summary>
    protected List<(int EventId, string Message)> Logs { get; } = [];

    /// <summary>A pool of <paramref name="keys"/> on the backend under test.</summary>
    protected abstract IKeyPool Create(IReadOnlyList<ApiKey> keys, ApiKeyManagerOptions options);

    /// <summary>Reports an outcome for a key without a lease (the seed's <c>update_key_status</c>, by id).</summary>
    protected abstract void Report(IKeyPool pool, string keyId, KeyOutcome outcome);

    /// <summary>The backend's clock, now.</summary>
    protected abstract DateTimeOffset Now { get; }

    /// <summary>Moves the backend's clock on (only where it is controlled: cases that need it are skipped elsewhere).</summary>
    protected abstract void Advance(TimeSpan by);

    /// <summary>How far a time read by the backend may be from <see cref="Now"/> (zero on a controlled clock).</summary>
    protected virtual TimeSpan ClockSlack => TimeSpan.Zero;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the pools the test made; a backend's suite disposes its own resources after them.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned.ForEach(o => o.Dispose());
        }
    }

    /// <summary>A logger that records into <see cref="Logs"/>.</summary>
    protected ILogger<T> Logger<T>() => new RecordingLogger<T>(Logs);

    /// <summary>A canary key (key-shaped, never real), numbered.</summary>
    protected static string Canary(int i) => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture);

    /// <summary>Options with no jitter and no guard (a few keys failing alike would trip it), changed by <paramref name="configure"/>.</summary>
    protected static ApiKeyManagerOptions Options(Action<ApiKeyManagerOptions>? configure = null)
    {
        var options = new ApiKeyManagerOptions { JitterRatio = 0, EnvironmentFaultGuard = false };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// A pool of <paramref name="count"/> keys no other test uses (the keys gauge counts a key once), each in the project
    /// <paramref name="project"/> gives it (none by default).
    /// </summary>
    protected (IKeyPool Pool, ApiKey[] Keys) Pool(int count = 3, Action<ApiKeyManagerOptions>? configure = null, Func<int, string?>? project = null)
    {
        int first = Interlocked.Add(ref s_nextKey, 100);
        var keys = Enumerable.Range(0, count).Select(i => new ApiKey(Canary(first + i), Now, project: project?.Invoke(i))).ToArray();
        var pool = Create(keys, Options(configure));
        if (pool is IDisposable owned)
        {
            _owned.Add(owned);
        }

        return (pool, keys);
    }

    /// <summary>The status of one key.</summary>
    protected static KeyStatus StatusOf(IKeyPool pool, string id, string? model = null) => pool.GetStatuses(model).Single(s => s.Id == id);

    /// <summary>Asserts that <paramref name="at"/> is <paramref name="expected"/>, within the backend's clock slack.</summary>
    protected void AssertAt(DateTimeOffset expected, DateTimeOffset? at)
    {
        Assert.NotNull(at);
        Assert.InRange(at.Value, expected - ClockSlack, expected + ClockSlack);
    }

    public static TheoryData<string> FailureTableRows() =>
    [
        "Unknown, below the threshold", "Unknown, at the threshold", "RateLimited, per minute", "RateLimited, per day",
        "ModelUnavailable", "InvalidKey", "Suspended", "Suspended, leaked", "Forbidden, service blocked", "Forbidden, other",
        "Forbidden, restricted key", "Billing", "Upstream", "Transport", "BadRequest",
    ];

    [Theory]
    [MemberData(nameof(FailureTableRows))]
    public void Report_FailureTableRow_KeyAsTheTableSays(string row)
    {
        var (pool, keys) = Pool(project: i => i == 0 ? ProjectA : ProjectB);
        string id = keys[0].Id;
        var now = Now;
        var (failure, reports) = FailureOf(row);

        for (int i = 0; i < reports; i++)
        {
            Report(pool, id, KeyOutcome.Failed(failure));
        }

        var status = StatusOf(pool, id, failure.Model);
        Assert.Equal(reports, status.State.TotalFailures);
        switch (row)
        {
            case "Unknown, below the threshold" or "Forbidden, other":
                Assert.Equal(KeyAvailability.Available, status.Availability);
                Assert.Equal(reports, status.State.Failures);
                break;
            case "Unknown, at the threshold":
                Assert.Equal(KeyAvailability.Cooling, status.Availability);
                AssertAt(now + TimeSpan.FromSeconds(60), status.AvailableAt);
                break;
            case "RateLimited, per minute":
                Assert.Equal(KeyAvailability.Cooling, status.Availability);
                AssertAt(now + TimeSpan.FromSeconds(30), status.AvailableAt);
                break;
            case "RateLimited, per day":
                Assert.Equal(KeyAvailability.Cooling, status.Availability);
                Assert.Equal(DailyQuota.NextReset(now), status.AvailableAt);
                break;
            case "ModelUnavailable" or "Forbidden, service blocked":
                Assert.Equal(KeyAvailability.ModelBlocked, status.Availability);
                Assert.Null(status.AvailableAt);
                Assert.True(StatusOf(pool, id, "another-model").IsUsable);
                break;
            case "Billing":
                Assert.Equal(KeyAvailability.Cooling, status.Availability);
                AssertAt(now + TimeSpan.FromHours(1), status.AvailableAt);
                break;
            case "Upstream" or "Transport" or "BadRequest":
                Assert.Equal(KeyAvailability.Available, status.Availability);
                Assert.Equal(0, status.State.Failures);
                break;
            default:
                Assert.Equal(KeyAvailability.Disabled, status.Availability);
                Assert.Null(status.AvailableAt);
                Assert.Contains(row == "Suspended, leaked" ? "rotate it" : "", status.Reason, StringComparison.Ordinal);
                break;
        }

        Assert.All(keys.Skip(1), k => Assert.True(StatusOf(pool, k.Id).IsUsable, $"{row} reached {k.Id} of another project"));
    }

    private static (KeyFailure Failure, int Reports) FailureOf(string row) => row switch
    {
        "Unknown, below the threshold" => (KeyFailure.Unknown(), 2),
        "Unknown, at the threshold" => (KeyFailure.Unknown(), 3),
        "RateLimited, per minute" => (KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute), 1),
        "RateLimited, per day" => (KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Day), 1),
        "ModelUnavailable" => (KeyFailure.ModelUnavailable("gemini-2.5-pro"), 1),
        "InvalidKey" => (KeyFailure.InvalidKey("API key not valid. Please pass a valid API key."), 1),
        "Suspended" => (KeyFailure.Suspended("Permission denied: Consumer has been suspended."), 1),
        "Suspended, leaked" => (KeyFailure.Leaked("Your API key was reported as leaked. Please use another API key."), 1),
        "Forbidden, service blocked" => (KeyFailure.Forbidden("Requests to this API method are blocked.", serviceBlocked: true, model: "gemini-2.5-pro"), 1),
        "Forbidden, other" => (KeyFailure.Forbidden("The caller does not have permission"), 1),
        "Forbidden, restricted key" => (KeyFailure.Restricted(FailureDetail.HttpReferrerRestricted, "Requests from referer <empty> are blocked."), 1),
        "Billing" => (KeyFailure.Billing("Your prepayment credits are depleted."), 1),
        "Upstream" => (KeyFailure.Upstream("The model is overloaded."), 1),
        "Transport" => (KeyFailure.Transport("Connection refused"), 1),
        "BadRequest" => (KeyFailure.BadRequest("Invalid JSON payload received."), 1),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row, "not a row of the failure table"),
    };
}
