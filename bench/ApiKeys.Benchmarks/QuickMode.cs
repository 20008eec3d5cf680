using System.Diagnostics;
using System.Globalization;
using ApiKeys;
using ApiKeys.Pool;

namespace ApiKeys.Benchmarks;

/// <summary>
/// The short mode (<c>--quick</c>): the core figures in about a minute, without BenchmarkDotNet's process per case.
/// Each case runs warm-up rounds, then the median of several timed rounds; the seed baseline runs in the same session.
/// </summary>
internal static class QuickMode
{
    private const int Rounds = 7;

    public static int Run(string[] args)
    {
        string seed = args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault() ?? FindSeedBaseline();
        var rows = new List<(string Case, double Value, string Unit)>();
        rows.Add(("acquire+report, 1 thread, 10 keys", NsPerPair(10, 0, 1), "ns/pair"));
        rows.Add(("acquire+report, 1 thread, 1,000 keys", NsPerPair(1_000, 0, 1), "ns/pair"));
        rows.Add(("acquire+report, 1 thread, 100,000 keys", NsPerPair(100_000, 0, 1), "ns/pair"));
        rows.Add(("acquire+report, 1 thread, 100,000 keys, 99 % cooling", NsPerPair(100_000, 99, 1), "ns/pair"));
        rows.Add(("acquire+report, 2 threads, 10 keys", NsPerPair(10, 0, 2), "ns/pair"));
        rows.Add(("acquire+report, 2 threads, 100,000 keys, 99 % cooling", NsPerPair(100_000, 99, 2), "ns/pair"));
        double store = OutcomesPerSecondWithStore();
        rows.Add(("reported outcomes with the JSON store on, 10 keys", store, "outcomes/s"));

        double seedSave = Seed(seed, "10", "3000");
        double seedNoSave = Seed(seed, "10", "300000", "--no-save");
        rows.Add(("seed baseline (Python), saving on, 10 keys", seedSave, "outcomes/s"));
        rows.Add(("seed baseline (Python), no saving, 10 keys", seedNoSave, "outcomes/s"));

        Console.WriteLine();
        Console.WriteLine("| case | median | unit |");
        Console.WriteLine("|---|---:|---|");
        foreach (var (name, value, unit) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {value:N0} | {unit} |"));
        }

        double tenKeys = rows[0].Value;
        double cooling = rows[3].Value;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"99 % cooling / 10 keys: {cooling / tenKeys:0.00}x (target at most 2x)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"JSON store on / seed with saving: {store / seedSave:N0}x (target at least 300x)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lease pair (1 thread, 10 keys) vs seed without saving: {1e9 / tenKeys / seedNoSave:N0}x faster"));
        return 0;
    }

    private static double NsPerPair(int keys, int coolingPercent, int threads)
    {
        using var pool = new ApiKeyManager(apiKeys: Fakes.Keys(keys), options: new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
        for (int i = 0; i < keys * coolingPercent / 100; i++)
        {
            pool.UpdateKeyStatus(Fakes.Key(i), KeyFailure.RateLimited(TimeSpan.FromDays(1)));
        }

        const int PerThread = 1_000_000;
        void Work()
        {
            for (int i = 0; i < PerThread; i++)
            {
                var lease = pool.Acquire();
                if (i % 10 == 0)
                {
                    lease.Failed(KeyFailure.Unknown());
                }
                else
                {
                    lease.Succeeded();
                }
            }
        }

        return Median(() =>
        {
            var sw = Stopwatch.StartNew();
            var running = Enumerable.Range(0, threads).Select(_ => new Thread(Work)).ToList();
            running.ForEach(t => t.Start());
            running.ForEach(t => t.Join());
            return sw.Elapsed.TotalNanoseconds / (PerThread * (double)threads);
        });
    }

    private static double OutcomesPerSecondWithStore()
    {
        string dir = Path.Combine(Path.GetTempPath(), "apikeys-quick-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = ApiKeyManager.Open(dir, new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
            foreach (var key in Fakes.Keys(10))
            {
                pool.AddKey(key);
            }

            // Sustained: each round runs for about a second, so the background writes (about one a second) are in it.
            return Median(() =>
            {
                long n = 0;
                var sw = Stopwatch.StartNew();
                while (sw.ElapsedMilliseconds < 1000)
                {
                    for (int i = 0; i < 10_000; i++, n++)
                    {
                        var key = pool.GetAvailableKey()!;
                        pool.UpdateKeyStatus(key, i % 10 != 0);
                    }
                }

                return n / sw.Elapsed.TotalSeconds;
            }, rounds: 5);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(Func<double> round, int rounds = Rounds)
    {
        round(); // warm-up: JIT, caches, tiered compilation
        round();
        var values = Enumerable.Range(0, rounds).Select(_ => round()).Order().ToList();
        return values[values.Count / 2];
    }

    private static double Seed(string script, params string[] args)
    {
        var values = new List<double>();
        for (int run = 0; run < 3; run++)
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
            info.ArgumentList.Add(script);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var field = output.Split(' ').First(f => f.StartsWith("ops_per_s=", StringComparison.Ordinal));
            values.Add(double.Parse(field["ops_per_s=".Length..], CultureInfo.InvariantCulture));
        }

        return values.Order().ElementAt(1);
    }

    private static string FindSeedBaseline()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "seed", "seed_baseline.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("bench/seed/seed_baseline.py not found above the benchmark binary; pass --seed PATH");
    }
}
