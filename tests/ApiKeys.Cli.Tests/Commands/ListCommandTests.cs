using System.Text.Json;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class ListCommandTests
{
    [Fact]
    public void List_SeedSection5Store_ListsMasksActive()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Stored API Keys:", "1. AIza...jFYY (Active)", "2. AIza...MpVw (Active)", ""], result.Lines);
    }

    [Fact]
    public void List_CoolingKeyFromTheLibrary_BlockedWithTimeLeft()
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

        var result = CliRunner.Run(dir.Path, new TestConsole(), time, "list");

        Assert.Equal("2. AIza...dD4X (Blocked) until Thu Jan 15 12:01:00 2026 (60 s left)", result.Lines[2]);
    }

    [Fact]
    public void List_DisabledKey_ShowsReason()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var disable = CliRunner.Run(dir.Path, "", "disable", "dD4X");
        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(0, disable.ExitCode);
        Assert.Equal("Disabled key: AIza...dD4X\n", disable.Out);
        Assert.Equal("2. AIza...dD4X (Disabled) disabled by hand; enable it to use it again", result.Lines[2]);
    }

    [Fact]
    public void List_Json_MasksAndIdsOnly()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);

        var result = CliRunner.Run(dir.Path, "", "list", "--json");

        using var doc = JsonDocument.Parse(result.Out);
        var first = doc.RootElement[0];
        Assert.Equal("AIza...jFYY", first.GetProperty("mask").GetString());
        Assert.Equal(2, first.GetProperty("failures").GetInt32());
        Assert.Equal("active", first.GetProperty("status").GetString());
        Assert.StartsWith("k_", first.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.SeedKey1, result.Out);
    }

    [Fact]
    public void List_EmptyStore_SaysSo()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal("No API keys stored.\n", result.Out);
    }

    [Fact]
    public void List_ApikeysDirVariable_UsedWithoutDir()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var console = new TestConsole();
        console.Environment["APIKEYS_DIR"] = dir.Path;

        var result = CliRunner.Run("", console, null, "list");

        Assert.Contains("1. AIza...YNQs (Active)", result.Out);
    }

    [Fact]
    public void List_ColourOnTerminal_NoColorHonoured()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var coloured = new TestConsole { OutputTerminal = true };
        var plain = new TestConsole { OutputTerminal = true };
        plain.Environment["NO_COLOR"] = "1";

        var withColour = CliRunner.Run(dir.Path, coloured, null, "list");
        var withoutColour = CliRunner.Run(dir.Path, plain, null, "list");

        Assert.Contains("\u001b[32m(Active)\u001b[0m", withColour.Out);
        Assert.DoesNotContain("\u001b[", withoutColour.Out);
    }

    [Fact]
    public void List_CorruptStore_OneLineWithFileAndFix()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteFile(dir.File("api_keys.json"), "[\"AIzaSyCANARY000000000000000000000000001\",");

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains(dir.File("api_keys.json"), result.Error);
        Assert.Contains("fix: repair", result.Error);
        Assert.Equal("[\"AIzaSyCANARY000000000000000000000000001\",", File.ReadAllText(dir.File("api_keys.json")));
    }
}
