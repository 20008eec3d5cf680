using System.Text.Json;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class AddCommandTests
{
    [Fact]
    public void Add_KeyAsArgument_RefusedWithReasonAndWhatToDo()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "add", TestKeys.Gemini(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("(ps)", result.Error);
        Assert.Contains("apikeys add --stdin", result.Error);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void Add_HiddenPrompt_AddsKeyReadableByTheLibrary()
    {
        using var dir = new TempDirectory();
        var console = new TestConsole(TestKeys.Ynqs + "\n");

        var result = CliRunner.Run(dir.Path, console, null, "add", "--label", "work");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Enter API key (input hidden): \nKey added successfully! (Partial: AIza...YNQs)\n", result.Out);
        using var manager = Library.Open(dir.Path);
        var key = Assert.Single(manager.Keys);
        Assert.Equal(TestKeys.Ynqs, key.Secret);
        Assert.Equal("work", key.Label);
    }

    [Fact]
    public void Add_Stdin_ReportsAddedSkippedRefused()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Gemini(1)]);
        string input = $"{TestKeys.Gemini(1)}\n\n# a comment\n{TestKeys.Gemini(2)}\nAIzaSyTooShort\nnot a key\n";

        var result = CliRunner.Run(dir.Path, input, "add", "--stdin");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "Skipped AIza...0001 (line 1): already stored", "Added AIza...0002 (line 4)",
                "Refused line 5 (...rt): Invalid key format: a Google API key is 39 characters starting with AIza.",
                "Refused line 6: Invalid key: empty, or contains spaces or control characters.",
                "1 added, 1 skipped as duplicate, 2 refused as malformed.", "",
            ],
            result.Lines);
        Assert.Equal("apikeys: 2 keys were refused as malformed (see above); the others were kept.\n", result.Error);
        Assert.Equal(2, Library.Open(dir.Path).Keys.Count);
    }

    [Fact]
    public void Add_StdinJson_Report()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(1) + "\n", "add", "--stdin", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("added").GetInt32());
        Assert.Equal("AIza...0001", doc.RootElement.GetProperty("keys")[0].GetProperty("mask").GetString());
    }

    [Fact]
    public void Add_NothingEntered_Exit1()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "add");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("apikeys: No key entered: nothing added.\n", result.Error);
    }

    [Theory]
    [InlineData("--label", false)]
    [InlineData("--project", false)]
    [InlineData("--label", true)]
    public void AddStdin_KeyInAFreeTextOption_RefusedMaskedNothingStored(string option, bool joined)
    {
        using var dir = new TempDirectory();
        string[] args = joined ? ["add", "--stdin", $"{option}={TestKeys.Dd4x}"] : ["add", "--stdin", option, TestKeys.Dd4x];

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(1) + "\n", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"apikeys: refusing a key in {option} (AIza...dD4X): every user of this machine can read a process's arguments (ps)", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void AddStdin_LabelIsAStoredKeyOfNoKnownShape_RefusedAndMasked()
    {
        using var dir = new TempDirectory();
        const string Generic = "internal-gateway-token-7f3a9c";
        CliRunner.Run(dir.Path, Generic + "\n", "add", "--stdin", "--allow-unknown");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(1) + "\n", "add", "--stdin", "--label", Generic);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing a key in --label", result.Error);
        Assert.DoesNotContain(Generic, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    [Fact]
    public void Add_PromptedKeyOfNoKnownShapeGivenAsLabel_Refused()
    {
        using var dir = new TempDirectory();
        const string Generic = "internal-gateway-token-7f3a9c";

        var result = CliRunner.Run(dir.Path, Generic + "\n", "add", "--allow-unknown", "--label", Generic);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--label holds it", result.Error);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }
}
