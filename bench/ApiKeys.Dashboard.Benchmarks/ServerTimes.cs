using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ApiKeys.Dashboard.Benchmarks;

/// <summary>
/// The server's own time for each request: ASP.NET Core's <c>http.server.request.duration</c> (from the request's arrival to
/// the end of its response), heard in this process, where the gateway runs.
/// </summary>
internal sealed class ServerTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _times = new();

    public ServerTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => _times.Enqueue(seconds * 1000));
        _listener.Start();
    }

    /// <summary>The times heard since the last call, in milliseconds.</summary>
    public List<double> Take()
    {
        var taken = new List<double>();
        while (_times.TryDequeue(out double ms))
        {
            taken.Add(ms);
        }

        return taken;
    }

    public void Dispose() => _listener.Dispose();
}
