using ApiKeys.Redis.Tests.Support;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// How the scripts reach the server: by SHA1 (EVALSHA), sent whole only when the server answers NOSCRIPT, and never a
/// failed call when the script cache is flushed under many callers. Own server: its command statistics are read and reset.
/// </summary>
public sealed class RedisScriptTests : IClassFixture<RedisServer>
{
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false, FailureThreshold = 1000 };
    private readonly RedisServer _server;

    public RedisScriptTests(RedisServer server) => _server = server;

    [Fact]
    public void Acquire_ScriptKnown_RunsBySha1NotSentWhole()
    {
        using var redis = _server.Connect();
        using var admin = _server.Admin();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        // Two rounds over both keys: each key's first success writes a state (Write), the next is only counted (Success).
        for (int i = 0; i < 4; i++)
        {
            pool.Acquire().Succeeded();
        }

        var server = admin.GetServer(admin.GetEndPoints()[0]);
        server.Execute("CONFIG", "RESETSTAT");

        for (int i = 0; i < 50; i++)
        {
            pool.Acquire().Succeeded();
        }

        var (evalsha, eval) = ScriptCalls(server);
        Assert.Equal(0, eval);
        // A report queued while the one before it is on its way rides on the next acquire: 50 to 100 calls.
        Assert.InRange(evalsha, 50, 100);
    }

    [Fact]
    public async Task Acquire_ScriptFlushedRepeatedlyUnderManyCallers_NoCallFailsAndEveryLeaseCountsOnce()
    {
        using var redis = _server.Connect();
        using var admin = _server.Admin();
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var logs = new List<(int EventId, string Message)>();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(8)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet,
            new ApiKeys.Tests.Behaviour.RecordingLogger<RedisKeyPool>(logs));
        server.Execute("CONFIG", "RESETSTAT");
        const int Callers = 16;
        const int Each = 150;
        using var stop = new CancellationTokenSource();
        int flushes = 0;
        var flusher = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                server.ScriptFlush();
                Interlocked.Increment(ref flushes);
            }
        }, TaskCreationOptions.LongRunning);

        // Every caller on its own thread (a blocked pool thread would starve the client's reader on 2 cores); half of them
        // through the asynchronous path: both fall back on NOSCRIPT.
        var callers = Enumerable.Range(0, Callers).Select(c => Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < Each; i++)
            {
                using var lease = c % 2 == 0 ? pool.Acquire() : pool.AcquireAsync().GetAwaiter().GetResult();
                lease.Succeeded();
            }
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(callers);
        await stop.CancelAsync();
        await flusher;

        Assert.True(logs.All(l => l.EventId == Diagnostics.ApiKeysEventIds.RedisPoolRegistered), string.Join("\n", logs.Select(l => l.Message)));
        var statuses = pool.GetStatuses();
        Assert.Equal(Callers * Each, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
        var (_, eval) = ScriptCalls(server);
        Assert.True(flushes > 1 && eval > 0, $"{flushes} flushes, {eval} scripts sent whole: the fallback never ran");
    }

    [Fact]
    public void Acquire_RightAfterASyncCallFailedOnTheSameThread_GetsItsOwnAnswer()
    {
        // StackExchange.Redis reuses a thread's box for synchronous calls: a call failing fast (NOSCRIPT, as the pool's own
        // EVALSHA does after a flush) left the next synchronous call on the thread waking with no answer or the one before.
        using var redis = _server.Connect();
        var db = redis.GetDatabase();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        var unknown = new byte[20];
        const int Rounds = 3000;
        for (int i = 0; i < Rounds; i++)
        {
            Assert.Throws<RedisServerException>(() => db.ScriptEvaluate(unknown));
            using var lease = pool.Acquire();
            lease.Succeeded();
        }

        var statuses = pool.GetStatuses();
        Assert.Equal(Rounds, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
    }

    [Fact]
    public void Answer_NullOrShorterThanTheScriptReturns_IsNotTakenForAnAnswer()
    {
        // The shapes a real server gives: what the pool parses only after HasShape said yes (an acquire's answer has 4 elements).
        using var redis = _server.Connect();
        var db = redis.GetDatabase();
        Assert.False(RedisKeyPool.HasShape(db.ScriptEvaluate("return nil", flags: CommandFlags.NoScriptCache), 4));
        Assert.False(RedisKeyPool.HasShape(db.ScriptEvaluate("return {1, 2}", flags: CommandFlags.NoScriptCache), 4));
        Assert.False(RedisKeyPool.HasShape(db.ScriptEvaluate("return 7", flags: CommandFlags.NoScriptCache), 4));
        Assert.False(RedisKeyPool.HasShape(null, 0));
        Assert.True(RedisKeyPool.HasShape(db.ScriptEvaluate("return {1, 2, 3, 4, 5}", flags: CommandFlags.NoScriptCache), 4));
        Assert.True(RedisKeyPool.HasShape(db.ScriptEvaluate("return 7", flags: CommandFlags.NoScriptCache), 0));
    }

    [Fact]
    public void Outage_ClientPipeCompletedDuringRestart_IsAnOutageSoAReportNeverThrows()
    {
        // What StackExchange.Redis 2.13.23 threw out of a report's script call while the server restarted.
        Assert.True(RedisKeyPool.IsOutage(new InvalidOperationException("Writing is not allowed after writer was completed.")));
        Assert.True(RedisKeyPool.IsOutage(new ObjectDisposedException("pipe")));
        // What it handed an acquire on its way when the server restarted (Pipelines.Sockets.Unofficial.ConnectionResetException).
        Assert.True(RedisKeyPool.IsOutage(new IOException("Connection reset by peer", new System.Net.Sockets.SocketException(104))));
        // The pool's own verdict is passed on as it is, not wrapped again.
        Assert.False(RedisKeyPool.IsOutage(new RedisKeyPoolUnavailableException("no answer")));
    }

    private static (long EvalSha, long Eval) ScriptCalls(IServer server)
    {
        var stats = server.Info("commandstats").SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return (Calls(stats, "cmdstat_evalsha"), Calls(stats, "cmdstat_eval"));

        static long Calls(Dictionary<string, string> stats, string name) =>
            stats.TryGetValue(name, out var line) ? long.Parse(line.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
