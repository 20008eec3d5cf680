using System.Diagnostics;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>Several real processes on one store directory.</summary>
public class MultiProcessTests
{
    /// <summary>How a store starts before the workers report: every start must keep every outcome.</summary>
    public enum Start
    {
        /// <summary>A directory that does not exist yet; the keys given directly, only states kept there.</summary>
        EmptyDirectory,

        /// <summary>A keys file in this project's format and no states file yet.</summary>
        NoStatesFile,

        /// <summary>The seed's two files: an array of keys, states keyed by the raw key.</summary>
        SeedFiles,

        /// <summary>A states file in this project's format without an epoch (as written before epochs).</summary>
        StatesWithoutEpoch,

        /// <summary>Both files written by this project already.</summary>
        Written,
    }

    [Theory]
    [InlineData(Start.EmptyDirectory)]
    [InlineData(Start.NoStatesFile)]
    [InlineData(Start.SeedFiles)]
    [InlineData(Start.StatesWithoutEpoch)]
    [InlineData(Start.Written)]
    public void Report_FourProcessesOfFourThreads_TotalsAddUpExactlyFromEveryStart(Start start)
    {
        const int Processes = 4, PerProcess = 800, Threads = 4, Rounds = 2;
        for (int round = 0; round < Rounds; round++)
        {
            using var dir = new TempDirectory();
            string store = Path.Combine(dir.Path, "store");
            long before = Prepare(start, store);

            var workers = Enumerable.Range(0, Processes)
                .Select(_ => start == Start.EmptyDirectory
                    ? Worker.Start("report-given", store, PerProcess.ToString(), Threads.ToString(), "5")
                    : Worker.Start("report", store, PerProcess.ToString(), Threads.ToString()))
                .ToList();
            foreach (var w in workers)
            {
                string err = w.StandardError.ReadToEnd();
                w.WaitForExit();
                Assert.True(w.ExitCode == 0, err);
            }

            // Read what is on disk, without keys (the states file alone is the record).
            var states = new JsonKeyStore(store, new JsonKeyStoreOptions { GivenKeys = [] }).Load().States.Values;
            Assert.Equal((round, before + (Processes * PerProcess * 9 / 10)), (round, states.Sum(s => s.TotalSuccesses)));
            Assert.Equal((round, (long)(Processes * PerProcess / 10)), (round, states.Sum(s => s.TotalFailures)));
        }
    }

    /// <summary>Writes the store's files for <paramref name="start"/>; returns the successes already counted in them.</summary>
    private static long Prepare(Start start, string store)
    {
        if (start == Start.EmptyDirectory)
        {
            return 0;
        }

        Directory.CreateDirectory(store);
        var keys = TestKeys.Many(5);
        switch (start)
        {
            case Start.NoStatesFile:
                using (var setup = ApiKeyManager.Open(store))
                {
                    foreach (var key in keys)
                    {
                        setup.AddKey(key);
                    }
                }

                Assert.False(File.Exists(Path.Combine(store, JsonKeyStore.StatesFileName)));
                return 0;
            case Start.SeedFiles:
                File.WriteAllText(Path.Combine(store, JsonKeyStore.KeysFileName), "[" + string.Join(", ", keys.Select(k => $"\"{k}\"")) + "]");
                File.WriteAllText(Path.Combine(store, JsonKeyStore.StatesFileName),
                    $$$"""{"{{{keys[0]}}}": {"blocked_until": 1712345678.9, "failures": 2, "last_failed": 1712345600.0}}""");
                return 0;
            case Start.StatesWithoutEpoch:
                File.WriteAllText(Path.Combine(store, JsonKeyStore.KeysFileName), "[" + string.Join(", ", keys.Select(k => $"\"{k}\"")) + "]");
                File.WriteAllText(Path.Combine(store, JsonKeyStore.StatesFileName),
                    $$$$"""{"format": "apikeys-states/1", "generation": 3, "states": {"{{{{Keys.KeyIds.For(keys[1])}}}}": {"successes": 100, "failures": 0}}}""");
                return 100;
            default:
                using (var setup = ApiKeyManager.Open(store))
                {
                    foreach (var key in keys)
                    {
                        setup.AddKey(key);
                    }

                    setup.UpdateKeyStatus(keys[0], success: true);
                    setup.Flush();
                }

                return 1;
        }
    }

    [Fact]
    public void AddKey_FourProcessesAddingAtOnce_NoKeyLost()
    {
        using var dir = new TempDirectory();

        var workers = Enumerable.Range(0, 4).Select(i => Worker.Start("add", dir.Path, "p" + i, "25")).ToList();
        var acked = new List<string>();
        foreach (var w in workers)
        {
            string output = w.StandardOutput.ReadToEnd();
            w.WaitForExit();
            Assert.Equal(0, w.ExitCode);
            acked.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()["ACK ".Length..]));
        }

        using var pool = ApiKeyManager.Open(dir.Path);
        Assert.Equal(100, acked.Distinct().Count());
        Assert.Equal(100, pool.Count);
        Assert.All(acked, id => Assert.NotNull(pool.ResolveId(id)));
    }
}
