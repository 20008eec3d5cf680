using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class RemoveCommandTests
{
    [Theory]
    [InlineData("2")]
    [InlineData("dD4X")]
    [InlineData("...dD4X")]
    [InlineData("AIza...dD4X")]
    public void Remove_BySelectorWithYes_RemovesThatKey(string selector)
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var result = CliRunner.Run(dir.Path, "", "remove", selector, "--yes");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Removed key: ...dD4X\n", result.Out);
        Assert.Equal([TestKeys.Ynqs], Library.Open(dir.Path).Keys.Select(k => k.Secret));
    }

    [Fact]
    public void Remove_ById_Removes()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        string id = Library.Open(dir.Path).Keys[1].Id;

        var result = CliRunner.Run(dir.Path, "y\n", "remove", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Remove key 2 (AIza...dD4X)? [y/N]: Removed key: ...dD4X\n", result.Out);
    }

    [Fact]
    public void Remove_NotConfirmed_KeepsKeyExit1()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var result = CliRunner.Run(dir.Path, "", "remove", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Not removed: AIza...dD4X", result.Error);
        Assert.Equal(2, Library.Open(dir.Path).Keys.Count);
    }

    [Fact]
    public void Remove_NumberOutOfRange_Exit1()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var result = CliRunner.Run(dir.Path, "", "remove", "21", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("apikeys: No key number 21: the keys are numbered 1 to 2 (apikeys list).\n", result.Error);
    }

    [Fact]
    public void Remove_TailMatchingTwoKeys_Exit1WithBoth()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Gemini(101), TestKeys.Gemini(201)]);

        var result = CliRunner.Run(dir.Path, "", "remove", "...01", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("matches 2 keys (1. AIza...0101, 2. AIza...0201)", result.Error);
        Assert.Equal(2, Library.Open(dir.Path).Keys.Count);
    }
}
