using System.Diagnostics.Metrics;
using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Diagnostics;

public class MetricsTests
{
    [Fact]
    public void Meter_AcquisitionsOutcomesAndKeys_AreReported()
    {
        // Keys no other test uses: the gauge counts a key once, as the first pool holding it sees it.
        using var pool = new ApiKeyManager(TestKeys.Many(2, start: 900_100), Pools.NoJitter(), timeProvider: Pools.Clock());
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ApiKeysMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();

        pool.Acquire().Succeeded();
        pool.Acquire().Failed(KeyFailure.InvalidKey());
        listener.RecordObservableInstruments();

        lock (counts)
        {
            Assert.True(counts.GetValueOrDefault("apikeys.acquisitions/ok") >= 2);
            Assert.True(counts.GetValueOrDefault("apikeys.outcomes/success") >= 1);
            Assert.True(counts.GetValueOrDefault("apikeys.outcomes/InvalidKey") >= 1);
            Assert.True(counts.GetValueOrDefault("apikeys.keys/disabled") >= 1);
        }

        void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string key = instrument.Name + "/" + (tags.Length > 0 ? tags[0].Value : "");
            lock (counts)
            {
                counts[key] = counts.GetValueOrDefault(key) + value;
            }
        }
    }
}
