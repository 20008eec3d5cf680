using System.Globalization;
using ApiKeys;
using ApiKeys.Pool;
using ApiKeys.Redis;
using StackExchange.Redis;

// A child process of the multi-process tests: THREADS threads each take OPS leases on one Redis pool and report them.
//   CONN POOL THREADS OPS KEYS CAP
// Thread 0 rate-limits the key it holds halfway (a one-hour cooldown) and, once the report returned, adds its id to the
// test's set "test:{POOL}:cooled". Before every acquire a thread reads that set: getting a key that was in it is a
// violation (a cooling key leased). After every acquire it counts the key in "test:{POOL}:inflight:<id>": more than CAP is
// a violation (the cap not held across processes). Prints "DONE <reports> <failures> <violations>".
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: CONN POOL THREADS OPS KEYS CAP");
    return 2;
}

string conn = args[0];
string poolName = args[1];
int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
int ops = int.Parse(args[3], CultureInfo.InvariantCulture);
int keyCount = int.Parse(args[4], CultureInfo.InvariantCulture);
int cap = int.Parse(args[5], CultureInfo.InvariantCulture);
var keys = Enumerable.Range(0, keyCount).Select(i => "AIzaSyCANARY" + i.ToString("D27", CultureInfo.InvariantCulture));
var options = new ApiKeyManagerOptions
{
    FailureThreshold = 1000,
    AlertAfterConsecutiveFailures = 1000,
    EnvironmentFaultGuard = false,
    MaxLeasesPerKey = cap,
};

using var pool = RedisKeyPool.Connect(conn, keys, new RedisKeyPoolOptions { PoolName = poolName }, options);
using var check = ConnectionMultiplexer.Connect(conn);
var db = check.GetDatabase();
string cooledSet = $"test:{{{poolName}}}:cooled";
long reports = 0, failures = 0, violations = 0;
var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
{
    for (int i = 0; i < ops; i++)
    {
        var cooled = db.SetMembers(cooledSet).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
        KeyLease lease;
        try
        {
            lease = pool.Acquire();
        }
        catch (NoAvailableKeyException e) when (e.Reason == NoKeyReason.AllBusy)
        {
            i--;
            Thread.Yield();
            continue;
        }

        if (cooled.Contains(lease.KeyId))
        {
            Interlocked.Increment(ref violations);
            Console.Error.WriteLine($"VIOLATION cooling key {lease.KeyId} leased");
        }

        string inflight = $"test:{{{poolName}}}:inflight:{lease.KeyId}";
        if (db.StringIncrement(inflight) > cap)
        {
            Interlocked.Increment(ref violations);
            Console.Error.WriteLine($"VIOLATION more than {cap} leases of {lease.KeyId}");
        }

        db.StringDecrement(inflight);
        if (t == 0 && i == ops / 2)
        {
            lease.Failed(KeyFailure.RateLimited(TimeSpan.FromHours(1), RateLimitScope.Minute));
            db.SetAdd(cooledSet, lease.KeyId);
            Interlocked.Increment(ref failures);
        }
        else if (i % 10 == 0)
        {
            lease.Failed(KeyFailure.Unknown("worker failure"));
            Interlocked.Increment(ref failures);
        }
        else
        {
            lease.Succeeded();
        }

        Interlocked.Increment(ref reports);
    }
})).ToList();

workers.ForEach(w => w.Start());
workers.ForEach(w => w.Join());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DONE {reports} {failures} {violations}"));
return 0;
