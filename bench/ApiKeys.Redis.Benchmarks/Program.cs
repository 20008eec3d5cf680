using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ApiKeys;
using ApiKeys.Redis;
using StackExchange.Redis;

// Throughput of the Redis backend on loopback: acquire + report (success) with 1, 4 and 16 concurrent callers, against
// the floor, a bare PING round trip with the same callers. Starts its own redis-server on a free port unless given one.
//   dotnet run -c Release --project bench/ApiKeys.Redis.Benchmarks [-- --redis HOST:PORT] [--seconds N] [--slices N]
// --slices N splits each cell into N alternating slices of PING and acquire + report (default 1: PING's whole cell, then
// the pool's), so on a machine whose load moves the two are measured under the same load.
// (A throughput sweep with a fixed number of concurrent callers, which BenchmarkDotNet does not model, hence this runner.)
string? conn = null;
double seconds = 5;
int slices = 1;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--redis")
    {
        conn = args[i + 1];
    }
    else if (args[i] == "--seconds")
    {
        seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--slices")
    {
        slices = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

Process? server = null;
if (conn is null)
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    server = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    })!;
    conn = $"127.0.0.1:{port}";
    for (int i = 0; i < 250; i++)
    {
        try
        {
            using var probe = new TcpClient("127.0.0.1", port);
            break;
        }
        catch (SocketException)
        {
            Thread.Sleep(20);
        }
    }
}

try
{
    using var redis = RedisKeyPool.ConnectMultiplexer(conn);
    var db = redis.GetDatabase();
    var keys = Enumerable.Range(0, 16).Select(i => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture)).ToList();
    using var pool = new RedisKeyPool(redis, keys.Select(k => new ApiKeys.Keys.ApiKey(k, DateTimeOffset.UnixEpoch)),
        new RedisKeyPoolOptions { PoolName = "bench" }, new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
    Console.WriteLine($"redis-server {db.Execute("INFO", "server").ToString().Split('\n').First(l => l.StartsWith("redis_version", StringComparison.Ordinal)).Trim()}, " +
        $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds} s per cell in {slices} slice(s)");
    Console.WriteLine("| callers | PING round trips/s | acquire + report/s | ratio to PING | mean latency acquire + report | CPU a PING, client / redis | CPU a pair, client / redis | script calls a pair |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (int callers in new[] { 1, 4, 16 })
    {
        Cell.Run(callers, 1, () => db.Ping());
        Cell.Run(callers, 1, () => { using var l = pool.Acquire(); l.Succeeded(); });
        var pingCell = new Cell();
        var opCell = new Cell();
        for (int slice = 0; slice < slices; slice++)
        {
            pingCell.Measure(db, callers, seconds / slices, () => db.Ping());
            opCell.Measure(db, callers, seconds / slices, () => { using var l = pool.Acquire(); l.Succeeded(); });
        }

        var (ping, pingCpu) = (pingCell.Rate, pingCell.Cpu);
        var (op, opCpu) = (opCell.Rate, opCell.Cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {callers} | {ping:N0} | {op:N0} | {op / ping:P0} | {callers / op * 1e6:N0} us | {pingCpu} | {opCpu} | {opCell.ScriptCalls:N2} |"));
    }
}
finally
{
    if (server is not null)
    {
        server.Kill();
        server.WaitForExit();
    }
}

// A cell's operations over its slices: the rate, the CPU one operation cost in this process and in redis-server (its
// INFO cpu), in microseconds, and the scripts (EVALSHA, EVAL) Redis ran for one (INFO commandstats).
internal sealed class Cell
{
    private long _scripts;
    private long _count;
    private double _seconds;
    private double _clientUs;
    private double _serverUs;

    public double Rate => _count / _seconds;

    public string Cpu => string.Create(CultureInfo.InvariantCulture, $"{_clientUs / _count:N1} / {_serverUs / _count:N1} us");

    public double ScriptCalls => (double)_scripts / _count;

    public void Measure(IDatabase db, int callers, double seconds, Action op)
    {
        var self = Process.GetCurrentProcess();
        long scripts = Scripts(db);
        double server = ServerCpu(db);
        var client = self.TotalProcessorTime;
        var (count, elapsed) = Run(callers, seconds, op);
        self.Refresh();
        (_count, _seconds) = (_count + count, _seconds + elapsed);
        _clientUs += (self.TotalProcessorTime - client).TotalMicroseconds;
        _serverUs += (ServerCpu(db) - server) * 1e6;
        _scripts += Scripts(db) - scripts;
    }

    private static long Scripts(IDatabase db) => db.Execute("INFO", "commandstats").ToString().Split('\n')
        .Where(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || l.StartsWith("cmdstat_eval:", StringComparison.Ordinal))
        .Sum(l => long.Parse(l.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture));

    internal static double ServerCpu(IDatabase db) => db.Execute("INFO", "cpu").ToString().Split('\n')
        .Where(l => l.StartsWith("used_cpu_user:", StringComparison.Ordinal) || l.StartsWith("used_cpu_sys:", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture));

    internal static (long Count, double Seconds) Run(int callers, double seconds, Action op)
    {
        long count = 0;
        var stop = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
        {
            long n = 0;
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                op();
                n++;
            }

            Interlocked.Add(ref count, n);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (count, stop.Elapsed.TotalSeconds);
    }
}
