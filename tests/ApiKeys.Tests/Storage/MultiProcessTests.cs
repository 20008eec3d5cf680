using System.Diagnostics;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>Several real processes on one store directory.</summary>
public class MultiProcessTests
{
    [Fact]
    public void Report_FourProcessesOnOneStore_TotalsAddUpExactly()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            for (int i = 0; i < 5; i++)
            {
                setup.AddKey(TestKeys.Gemini(i));
            }
        }

        const int PerProcess = 3000;
        var workers = Enumerable.Range(0, 4).Select(_ => Worker.Start("report", dir.Path, PerProcess.ToString())).ToList();
        foreach (var w in workers)
        {
            string err = w.StandardError.ReadToEnd();
            w.WaitForExit();
            Assert.True(w.ExitCode == 0, err);
        }

        using var pool = ApiKeyManager.Open(dir.Path);
        var statuses = pool.GetStatuses();
        Assert.Equal(4 * PerProcess * 9 / 10, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.Equal(4 * PerProcess / 10, statuses.Sum(s => s.State.TotalFailures));
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
