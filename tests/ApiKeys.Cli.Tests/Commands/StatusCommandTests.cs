using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class StatusCommandTests
{
    [Fact]
    public void Status_SeedSection5Store_FailuresAndLocalTimes()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);

        var result = CliRunner.Run(dir.Path, new TestConsole(), CliRunner.Clock(), "status");

        Assert.Equal(
            [
                "Key AIza...jFYY:", "  Failures: 2", "  Blocked until: Fri Apr  5 19:34:38 2024 (over)",
                "  Last failed: Fri Apr  5 19:33:20 2024 (649 days ago)",
                "Key AIza...MpVw:", "  Failures: 0", "  Blocked until: Not blocked", "  Last failed: Never", "",
            ],
            result.Lines);
    }

    [Fact]
    public void Status_WhyOnCoolingKey_SaysWhyAndWhen()
    {
        using var dir = new TempDirectory();
        var time = CliRunner.Clock();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using (var manager = Library.Open(dir.Path, time))
        {
            for (int i = 0; i < 3; i++)
            {
                manager.UpdateKeyStatus(TestKeys.Dd4x, success: false);
            }
        }

        var result = CliRunner.Run(dir.Path, new TestConsole(), time, "status", "...dD4X", "--why");

        Assert.Contains("  Why: 3 consecutive failures; back in 60 s\n", result.Out);
        Assert.Contains("  Back: Thu Jan 15 12:01:00 2026 (60 s left)\n", result.Out);
        Assert.DoesNotContain("YNQs", result.Out);
    }

    [Fact]
    public void Status_UnknownSelector_Exit1()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.Run(dir.Path, "", "status", "zzzz");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("apikeys: No key matches 'zzzz': name a key by its number, id or last characters (apikeys list shows them).\n", result.Error);
    }

    [Fact]
    public void Status_WholeKeyAsArgument_RefusedWithoutEchoingIt()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.Run(dir.Path, "", "status", TestKeys.Ynqs);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("every user of this machine can read a process's arguments", result.Error);
    }
}
