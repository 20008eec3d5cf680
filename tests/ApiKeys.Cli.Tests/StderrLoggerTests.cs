using ApiKeys.Cli.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Cli.Tests;

public sealed class StderrLoggerTests
{
    [Fact]
    public void Log_StoreSaveFailed_NotShownTheCommandSaysWhatWasNotDone()
    {
        var console = new TestConsole();
        var logger = new StderrLogger(new CliContext(console));
        var fields = new List<KeyValuePair<string, object?>> { new("What", "keys"), new("Reason", "Permission denied"), new("Path", "/srv/keys/api_keys.json") };

        logger.Log(LogLevel.Error, new EventId(5, "StoreSaveFailed"), fields, null, (_, _) => "Failed to save keys: Permission denied (/srv/keys/api_keys.json)");

        Assert.Equal("", console.StandardError);
    }

    [Fact]
    public void Log_KeyDisabledWithoutKeyEvents_NotShown()
    {
        var console = new TestConsole();
        var quiet = new StderrLogger(new CliContext(console)) { KeyEvents = false };
        var fields = new List<KeyValuePair<string, object?>>();

        quiet.Log(LogLevel.Warning, new EventId(3, "KeyDisabled"), fields, null, (_, _) => "Key AIza...dD4X disabled: disabled by hand");

        Assert.Equal("", console.StandardError);
    }

    [Fact]
    public void Log_KeyBlocked_SeedFormWithTailLocalTimeAndFix()
    {
        var console = new TestConsole();
        var time = CliRunner.Clock();
        var logger = new StderrLogger(new CliContext(console, time));
        var fields = new List<KeyValuePair<string, object?>> { new("KeyMask", "AIza...dD4X"), new("Until", time.GetUtcNow().AddMinutes(2)), new("Reason", "3 consecutive failures") };

        logger.Log(LogLevel.Warning, new EventId(1, "KeyBlocked"), fields, null, (_, _) => "unused");

        Assert.StartsWith("WARNING - Key ...dD4X blocked until Thu Jan 15 12:02:00 2026 (2 min left) after 3 consecutive failures: wait for the block to end, or remove and replace the key",
            console.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_Information_OnlyWithVerbose()
    {
        var console = new TestConsole();
        var logger = new StderrLogger(new CliContext(console));
        var fields = new List<KeyValuePair<string, object?>>();

        logger.Log(LogLevel.Information, new EventId(2, "KeyRestored"), fields, null, (_, _) => "Key AIza...dD4X is available again");

        Assert.Equal("", console.StandardError);
    }
}
