using System.Globalization;
using ApiKeys;
using ApiKeys.Pool;

// A child process for the store tests: several of these share one store directory, and the crash
// tests kill them with SIGKILL mid-write.
//   report DIR N [T]      acquire + report N outcomes on T threads (every 10th a failure of unknown kind), then flush
//   report-given DIR N T K  the same with K keys given directly (FakeKey("given", i)), states kept in DIR
//   add DIR PREFIX N      add N keys one by one, printing "ACK <id>" after each returns (on disk by then)
//   churn DIR             write states and keys in a loop until killed, printing "READY" once started
//   open DIR              check the store's permissions, then open it; print what each step says
//   restrict DIR          restrict the store's modes; print "CHANGED path before after" and "LEFT path reason" lines
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: report DIR N [T] | report-given DIR N T K | add DIR PREFIX N | churn DIR | denied DIR | open DIR | restrict DIR");
    return 2;
}

var dir = args[1];
var options = new ApiKeyManagerOptions { FailureThreshold = 1000, AlertAfterConsecutiveFailures = 1000, EnvironmentFaultGuard = false };
switch (args[0])
{
    case "report":
    case "report-given":
    {
        // report DIR N [THREADS]: the store's keys; report-given DIR N THREADS KEYS: KEYS keys given directly
        // (the seed's APIKeyManager(api_keys=[...])), only their states kept in DIR. N outcomes in all, over THREADS threads.
        int n = int.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        using var manager = args[0] == "report"
            ? ApiKeyManager.Open(dir, options)
            : new ApiKeyManager(Enumerable.Range(0, int.Parse(args[4], CultureInfo.InvariantCulture)).Select(i => FakeKey("given", i)), options, stateDirectory: dir);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int i = t; i < n; i += threads)
            {
                using var lease = manager.Acquire();
                if (i % 10 == 0)
                {
                    lease.Failed(KeyFailure.Unknown("worker failure"));
                }
                else
                {
                    lease.Succeeded();
                }
            }
        })).ToList();
        // A flusher beside the reporters: writes (the first one too) land while outcomes are being reported.
        bool done = false;
        var flusher = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                manager.Flush();
            }
        });
        flusher.Start();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Volatile.Write(ref done, true);
        flusher.Join();
        manager.Flush();
        Console.WriteLine("DONE");
        return 0;
    }

    case "add":
    {
        string prefix = args[2];
        int n = int.Parse(args[3], CultureInfo.InvariantCulture);
        using var manager = ApiKeyManager.Open(dir, options);
        for (int i = 0; i < n; i++)
        {
            var key = FakeKey(prefix, i);
            var result = manager.AddKey(key);
            if (result.Status is not (AddKeyStatus.Added or AddKeyStatus.Duplicate))
            {
                Console.Error.WriteLine(result.Message);
                return 1;
            }

            Console.WriteLine($"ACK {result.KeyId}");
            Console.Out.Flush();
        }

        return 0;
    }

    case "churn":
    {
        using var manager = ApiKeyManager.Open(dir, options);
        Console.WriteLine("READY");
        Console.Out.Flush();
        for (int i = 0; ; i++)
        {
            if (manager.TryAcquire(out var lease))
            {
                lease.Failed(KeyFailure.Unknown("churn"));
            }

            manager.Flush();
            var result = manager.AddKey(FakeKey("churn" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), i));
            Console.WriteLine($"ACK {result.KeyId}");
            Console.Out.Flush();
        }
    }

    case "denied":
    {
        // Run as a user who may read the store but not write it: saving fails with the seed's message,
        // the pool keeps working, and the write succeeds once the parent grants access (it says GO).
        using var manager = ApiKeyManager.Open(dir, options);
        var key = manager.GetAvailableKey() ?? throw new InvalidOperationException("no key");
        manager.UpdateKeyStatus(key, success: true);
        try
        {
            manager.Flush();
            Console.WriteLine("FLUSHED");
        }
        catch (ApiKeys.Storage.KeyStoreException e)
        {
            Console.WriteLine("STATES " + e.Message);
        }

        var added = manager.AddKey(FakeKey("denied", 1));
        Console.WriteLine("KEYS " + added.Status + " " + added.SaveError);
        Console.WriteLine("STILL " + (manager.GetAvailableKey() is not null ? "WORKS" : "BROKEN"));
        Console.Out.Flush();
        if (Console.ReadLine() == "GO")
        {
            manager.Flush();
            Console.WriteLine("RETRIED");
        }

        return 0;
    }

    case "open":
    {
        // What a user meets on a store they cannot enter: the permission check, then opening it. Each step prints
        // "OK", "STORE <kind> <message>" for the store's own error, or "RAW <type> <message>" for anything else.
        foreach (var step in new Action[]
        {
            () => ApiKeys.Security.StorePermissions.FindExposed(dir),
            () => ApiKeyManager.Open(dir, options).Dispose(),
        })
        {
            try
            {
                step();
                Console.WriteLine("OK");
            }
            catch (ApiKeys.Storage.KeyStoreException e)
            {
                Console.WriteLine($"STORE {e.Kind} {e.Message}");
            }
            catch (Exception e)
            {
                Console.WriteLine($"RAW {e.GetType().Name} {e.Message}");
            }
        }

        return 0;
    }

    case "restrict":
    {
        var report = ApiKeys.Security.StorePermissions.Restrict(dir);
        foreach (var change in report.Changed)
        {
            Console.WriteLine($"CHANGED {change.Path} {Octal(change.Before)} {Octal(change.After)}");
        }

        foreach (var left in report.Left)
        {
            Console.WriteLine($"LEFT {left.Path} {left.Reason}");
        }

        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}

// Canary-shaped Gemini keys: AIza + 35 characters, derived from a prefix and a number.
static string FakeKey(string prefix, int i)
{
    var body = (prefix + "x" + i.ToString(CultureInfo.InvariantCulture)).Replace("-", "_", StringComparison.Ordinal);
    body = body.Length >= 35 ? body[^35..] : body.PadLeft(35, '0');
    return "AIza" + body;
}

static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8);
