using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests;

public sealed class StoreOpenerTests
{
    private const UnixFileMode Shared = (UnixFileMode)0b110_100_100;

    [Fact]
    public void List_KeysFileReadableByOthers_RefusedNamingTheFileAndTheFix()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.File("api_keys.json"), Shared);

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"apikeys: refusing a store other users can read: {dir.File("api_keys.json")} (0644); fix: chmod 700 {dir.Path} && chmod 600 {dir.Path}/*.json (or apikeys doctor --fix), or pass --allow-shared if it is meant to be shared\n",
            result.Error);
    }

    [Fact]
    public void List_AllowShared_Lists()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.File("api_keys.json"), Shared);

        var result = CliRunner.Run(dir.Path, "", "--allow-shared", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1. AIza...YNQs (Active)", result.Out);
    }

    [Fact]
    public void List_DirectoryWritableByOthers_Refused()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{dir.Path} (0777)", result.Error);
    }

    [Fact]
    public void List_MkdirDefaultDirectoryAndOtherOpenFiles_Lists()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        File.WriteAllText(dir.File(".gitignore"), "api_keys*.json\n");
        File.SetUnixFileMode(dir.File(".gitignore"), Shared);

        var result = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void DoctorFix_OpenStore_RestrictsThenListWorks()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.File("api_keys.json"), Shared);

        var doctor = CliRunner.Run(dir.Path, "", "doctor", "--fix");
        var list = CliRunner.Run(dir.Path, "", "list");

        Assert.Contains($"apikeys: restricting {dir.File("api_keys.json")} (0644 -> 0600)", doctor.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("api_keys.json")));
        Assert.Equal(0, list.ExitCode);
    }
}
