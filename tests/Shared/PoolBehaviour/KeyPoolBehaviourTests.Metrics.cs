using System.Diagnostics.Metrics;
using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using Xunit;

namespace ApiKeys.Tests.Behaviour;

public abstract partial class KeyPoolBehaviourTests
{
    [Fact]
    public void Metrics_AcquireReportAndRelease_CountedOnTheApiKeysMeter()
    {
        var (pool, keys) = Pool(1);
        using var meter = new MeterRecorder();
        int disabledBefore = meter.Keys("disabled");

        var lease = pool.Acquire();
        long inFlight = meter.Sum("apikeys.leases.active");
        lease.Succeeded();
        pool.Acquire().Failed(KeyFailure.InvalidKey());
        Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        Assert.Equal(1, inFlight);
        Assert.Equal(0, meter.Sum("apikeys.leases.active"));
        Assert.Equal(2, meter.Sum("apikeys.acquisitions", "ok"));
        Assert.Equal(1, meter.Sum("apikeys.acquisitions", "none"));
        Assert.Equal(1, meter.Sum("apikeys.outcomes", "success"));
        Assert.Equal(1, meter.Sum("apikeys.outcomes", "InvalidKey"));
        Assert.Equal(disabledBefore + 1, meter.Keys("disabled"));
        Assert.Equal(KeyAvailability.Disabled, StatusOf(pool, keys[0].Id).Availability);
    }

    /// <summary>Records what the <c>ApiKeys</c> meter reports while it lives.</summary>
    private sealed class MeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, string? Tag, long Value)> _measurements = [];

        public MeterRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ApiKeysMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
            _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
            _listener.Start();
        }

        /// <summary>The sum of the measurements of <paramref name="instrument"/> (with tag value <paramref name="tag"/>, if given).</summary>
        public long Sum(string instrument, string? tag = null)
        {
            lock (_measurements)
            {
                return _measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tag == tag)).Sum(m => m.Value);
            }
        }

        /// <summary>The keys in <paramref name="state"/> now, in every pool of the process (the gauge read once).</summary>
        public int Keys(string state)
        {
            lock (_measurements)
            {
                _measurements.RemoveAll(m => m.Instrument == "apikeys.keys");
            }

            _listener.RecordObservableInstruments();
            return (int)Sum("apikeys.keys", state);
        }

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, tags.Length > 0 ? tags[0].Value?.ToString() : null, value));
            }
        }
    }
}
