using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class ImportCommandTests
{
    [Fact]
    public void Import_Env_NumberedVariablesInOrder()
    {
        using var dir = new TempDirectory();
        var console = new TestConsole();
        console.Environment["GEMINI_KEY_2"] = TestKeys.Gemini(2);
        console.Environment["GEMINI_KEY_1"] = TestKeys.Gemini(1);
        console.Environment["GEMINI_KEY_3"] = "broken";
        console.Environment["GEMINI_KEY_X"] = TestKeys.Gemini(9);

        var result = CliRunner.Run(dir.Path, console, null, "import", "--env", "GEMINI_KEY_");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "Added AIza...0001 (GEMINI_KEY_1)", "Added AIza...0002 (GEMINI_KEY_2)",
                "Refused GEMINI_KEY_3: Invalid key: empty, or contains spaces or control characters.",
                "2 added, 0 skipped as duplicate, 1 refused as malformed.", "",
            ],
            result.Lines);
    }

    [Fact]
    public void Import_Dotenv_ReadsLikePythonDotenv()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Gemini(3)]);
        File.WriteAllText(dir.File(".env"),
            $"# keys\nGEMINI_KEY_1={TestKeys.Gemini(1)}\nexport GEMINI_KEY_2=\"{TestKeys.Gemini(2)}\"\nGEMINI_KEY_3='{TestKeys.Gemini(3)}'  # old\nDEBUG=1\nAPI_KEY_4={TestKeys.Gemini(4)} # trailing comment\n");

        var result = CliRunner.Run(dir.Path, "", "import", "--dotenv", dir.File(".env"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Added AIza...0001 (.env:2 GEMINI_KEY_1)", result.Out);
        Assert.Contains("Added AIza...0002 (.env:3 GEMINI_KEY_2)", result.Out);
        Assert.Contains("Skipped AIza...0003 (.env:4 GEMINI_KEY_3): already stored", result.Out);
        Assert.Contains("Added AIza...0004 (.env:6 API_KEY_4)", result.Out);
        Assert.Contains("3 added, 1 skipped as duplicate, 0 refused as malformed.", result.Out);
        Assert.Equal(4, Library.Open(dir.Path).Keys.Count);
    }

    [Fact]
    public void Import_DotenvWithPrefix_OnlyThoseVariables()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(".env"), $"GEMINI_KEY_1={TestKeys.Gemini(1)}\nOTHER_KEY={TestKeys.Gemini(2)}\n");

        var result = CliRunner.Run(dir.Path, "", "import", "--dotenv", dir.File(".env"), "--prefix", "GEMINI_");

        Assert.Contains("1 added, 0 skipped as duplicate, 0 refused as malformed.", result.Out);
    }

    [Fact]
    public void Import_File_OneKeyALine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("keys.txt"), $"{TestKeys.Gemini(1)}\n\n# c\n{TestKeys.Gemini(1)}\n{TestKeys.Gemini(2)}\n");

        var result = CliRunner.Run(dir.Path, "", "import", "--file", dir.File("keys.txt"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Skipped AIza...0001 (keys.txt:4): already stored", result.Out);
        Assert.Contains("2 added, 1 skipped as duplicate, 0 refused as malformed.", result.Out);
    }

    [Fact]
    public void Import_NoSource_UsageError()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "import");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void Import_MissingFile_Exit1()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "import", "--file", dir.File("nope.txt"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("apikeys: No such file: ", result.Error, StringComparison.Ordinal);
    }
}
