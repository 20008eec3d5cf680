using System.Diagnostics;
using Xunit.Abstractions;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>A child process killed with SIGKILL while it writes, over and over: the store survives every kill.</summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 200;

    [Fact]
    public void Kill9_WhileWriting_FilesParseAndNoAcknowledgedKeyLost()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1));
        }

        var random = new Random(20261125);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        int midWrite = 0;
        for (int round = 0; round < Kills; round++)
        {
            using var worker = Worker.Start("churn", dir.Path);
            Assert.Equal("READY", worker.StandardOutput.ReadLine());
            int acks = random.Next(0, 4);
            for (int i = 0; i < acks; i++)
            {
                var line = worker.StandardOutput.ReadLine();
                Assert.NotNull(line);
                acknowledged.Add(line!["ACK ".Length..]);
            }

            // Kill at a random point of the child's next write cycle (a few milliseconds): a busy wait of a random
            // number of ticks, which spreads the kills over the cycle rather than waiting for anything to happen.
            long until = Stopwatch.GetTimestamp() + (long)(random.NextDouble() * Stopwatch.Frequency / 250);
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(20);
            }

            worker.Kill();
            worker.WaitForExit();

            // Temp files exist only while a write is in progress: one left behind means the kill landed mid-write.
            if (Directory.EnumerateFiles(dir.Path, ".api_*.tmp").Any())
            {
                midWrite++;
            }

            var store = new JsonKeyStore(dir.Path);
            var snapshot = store.Load();
            var ids = snapshot.Keys!.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
            Assert.All(acknowledged, id => Assert.Contains(id, ids));
        }

        output.WriteLine($"{midWrite} of {Kills} kills landed mid-write; {acknowledged.Count} acknowledged keys, all on disk");
        Assert.True(midWrite > 0, $"none of the {Kills} kills landed mid-write");
        using var pool = ApiKeyManager.Open(dir.Path);
        Assert.True(pool.Count >= acknowledged.Count);
    }
}
