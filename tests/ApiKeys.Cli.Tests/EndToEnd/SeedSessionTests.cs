using System.Globalization;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.EndToEnd;

/// <summary>The seed's four example sessions (its section 3), typed on a real terminal into the real tool.</summary>
public sealed class SeedSessionTests
{
    [Fact]
    public void Console_SeedAddSession_KeyNeverOnScreenAndReadByTheLibrary()
    {
        using var dir = new TempDirectory();
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("1\n");
        pty.WaitFor("Enter API key (input hidden): ");
        pty.Type(TestKeys.Ynqs + "\n");
        pty.WaitFor("Key added successfully! (Partial: AIza...YNQs)");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        AssertInOrder(pty.Lines, "Enter your choice (1-5): 1", "Enter API key (input hidden): ", "Key added successfully! (Partial: AIza...YNQs)");
        Assert.DoesNotContain("CANARY", pty.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("*", pty.Screen, StringComparison.Ordinal);
        TestKeys.AssertNoKey(pty.Screen);
        Assert.DoesNotContain('\u001b', pty.RawScreen);
        Assert.Equal([TestKeys.Ynqs], Library.Open(dir.Path).Keys.Select(k => k.Secret));
    }

    [Fact]
    public void Console_SeedListSession_ActiveAndBlocked()
    {
        using var dir = new TempDirectory();
        double until = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x], (TestKeys.Dd4x, until, 3, until - 3600));
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("2\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        AssertInOrder(pty.Lines, "Stored API Keys:", "1. AIza...YNQs (Active)");
        string blocked = Assert.Single(pty.Lines, l => l.StartsWith("2. AIza...dD4X (Blocked)", StringComparison.Ordinal));
        Assert.EndsWith("left)", blocked, StringComparison.Ordinal);
        TestKeys.AssertNoKey(pty.Screen);
    }

    [Fact]
    public void Console_SeedRemoveSession_ConfirmsWithTheMask()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("3\n");
        pty.WaitFor("Enter key number to remove: ");
        pty.Type("2\n");
        pty.WaitFor("Remove key 2 (AIza...dD4X)? [y/N]: ");
        pty.Type("y\n");
        pty.WaitFor("Removed key: ...dD4X");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        AssertInOrder(pty.Lines, "Enter key number to remove: 2", "Removed key: ...dD4X");
        Assert.Equal([TestKeys.Ynqs], Library.Open(dir.Path).Keys.Select(k => k.Secret));
    }

    [Fact]
    public void Console_SeedStatusSession_NotBlockedInsteadOf1970()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("4\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        AssertInOrder(pty.Lines, "Key AIza...YNQs:", "  Failures: 0", "  Blocked until: Not blocked", "  Last failed: Never");
    }

    [Fact]
    public void Console_Section5SeedStore_ListsAndShowsStatuses()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("2\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("4\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        pty.WaitForExit();

        var local = DateTimeOffset.FromUnixTimeMilliseconds(1712345678900).ToLocalTime();
        string blocked = string.Create(CultureInfo.InvariantCulture, $"  Blocked until: {local:ddd MMM} {local.Day,2} {local:HH:mm:ss yyyy} (over)");
        AssertInOrder(pty.Lines, "Stored API Keys:", "1. AIza...jFYY (Active)", "2. AIza...MpVw (Active)",
            "Key AIza...jFYY:", "  Failures: 2", blocked, "Key AIza...MpVw:", "  Failures: 0", "  Blocked until: Not blocked", "  Last failed: Never");
        TestKeys.AssertNoKey(pty.Screen);
    }

    [Fact]
    public void Console_StoreWrittenByTheLibrary_ListsAndShowsStatuses()
    {
        using var dir = new TempDirectory();
        using (var manager = Library.Open(dir.Path))
        {
            manager.AddKey(TestKeys.Ynqs, label: "work");
            manager.AddKey(TestKeys.Dd4x);
            for (int i = 0; i < 3; i++)
            {
                manager.UpdateKeyStatus(TestKeys.Dd4x, success: false);
            }
        }

        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("2\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("4\n");
        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("5\n");
        pty.WaitForExit();

        AssertInOrder(pty.Lines, "Stored API Keys:", "1. AIza...YNQs (Active) [work]");
        Assert.Single(pty.Lines, l => l.StartsWith("2. AIza...dD4X (Blocked) until ", StringComparison.Ordinal));
        AssertInOrder(pty.Lines, "Key AIza...dD4X:", "  Failures: 3");
        TestKeys.AssertNoKey(pty.Screen);
    }

    [Fact]
    public void Console_CtrlCAtTheHiddenPrompt_LeavesCleanlyWithEchoBack()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string before = File.ReadAllText(dir.File("api_keys.json"));
        using var pty = PtySession.StartShell($"trap 'true' INT; {CliBinary.ShellCommand(dir.Path)}; echo \"exit=$?\"; stty -a");

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("1\n");
        pty.WaitFor("Enter API key (input hidden): ");
        pty.Type("AIzaSyHALF");
        pty.Type("\u0003");
        pty.WaitFor("exit=130");
        pty.WaitForExit();

        Assert.DoesNotContain("Exception", pty.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("AIzaSyHALF", pty.Screen, StringComparison.Ordinal);
        Assert.Contains(" echo ", pty.Screen.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(dir.File("api_keys.json")));
    }

    [Fact]
    public void Console_EndOfInputAtTheMenu_ExitsZero()
    {
        using var dir = new TempDirectory();
        using var pty = PtySession.Start(dir.Path);

        pty.WaitFor("Enter your choice (1-5): ");
        pty.Type("\u0004");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void Add_HiddenPromptOnATerminal_NothingEchoed()
    {
        using var dir = new TempDirectory();
        using var pty = PtySession.Start(dir.Path, "add");

        pty.WaitFor("Enter API key (input hidden): ");
        pty.Type(TestKeys.Dd4x + "\n");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        Assert.Equal("Enter API key (input hidden): \nKey added successfully! (Partial: AIza...dD4X)\n", pty.Screen);
    }

    private static void AssertInOrder(string[] lines, params string[] expected)
    {
        int at = 0;
        foreach (var line in expected)
        {
            int found = Array.IndexOf(lines, line, at);
            Assert.True(found >= 0, $"line '{line}' missing (in order) from:\n{string.Join('\n', lines)}");
            at = found + 1;
        }
    }
}
