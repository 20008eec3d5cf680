using System.Text.Json;
using ApiKeys.Cli.Tests.Support;
using ApiKeys.Pool;

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
    public void Status_WhyOnModelBlockedAndInvalidKeys_SaysWhichModelAndHowBack()
    {
        using var dir = new TempDirectory();
        var time = CliRunner.Clock();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using (var manager = Library.Open(dir.Path, time))
        {
            using (var lease = manager.Acquire("gemini-2.5-pro"))
            {
                lease.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute, model: "gemini-2.5-pro"));
            }

            using (var lease = manager.Acquire())
            {
                lease.Failed(KeyFailure.InvalidKey("API key not valid. Please pass a valid API key."));
            }
        }

        var why = CliRunner.Run(dir.Path, new TestConsole(), time, "status", "--why");
        var list = CliRunner.Run(dir.Path, new TestConsole(), time, "list");
        var json = CliRunner.Run(dir.Path, new TestConsole(), time, "status", "1", "--json");

        Assert.Contains("  Model gemini-2.5-pro: RateLimited until Thu Jan 15 12:05:00 2026 (5 min left)\n", why.Out);
        Assert.Contains("  Back: not by itself: apikeys enable 2 (or apikeys reset 2)\n", why.Out);
        Assert.StartsWith("2. AIza...dD4X (Disabled) ", list.Lines[2], StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("RateLimited", doc.RootElement[0].GetProperty("blockedModels").GetProperty("gemini-2.5-pro").GetProperty("kind").GetString());
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
