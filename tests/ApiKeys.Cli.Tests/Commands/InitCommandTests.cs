using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class InitCommandTests
{
    [Fact]
    public void Init_NewDirectory_CreatesStore0600AndGitignore()
    {
        using var dir = new TempDirectory();
        string store = dir.File("keys");

        var result = CliRunner.Run(store, "", "init");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store, "api_keys.json")));
        Assert.Equal("# apikeys: the key store and its backups hold secrets\napi_keys*.json\napi_key_states*.json\n.apikeys.lock\n",
            File.ReadAllText(Path.Combine(store, ".gitignore")));
        Assert.Empty(Library.Open(store).Keys);
    }

    [Fact]
    public void Init_ExistingStoreAndGitignore_LeavesKeysAppendsMissingLines()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        File.WriteAllText(dir.File(".gitignore"), "bin/\napi_keys*.json");
        string before = File.ReadAllText(dir.File("api_keys.json"));

        var result = CliRunner.Run(dir.Path, "", "init");

        Assert.Contains("exists already (2 keys): left as it is.", result.Out);
        Assert.Equal(before, File.ReadAllText(dir.File("api_keys.json")));
        Assert.Equal("bin/\napi_keys*.json\n# apikeys: the key store and its backups hold secrets\napi_key_states*.json\n.apikeys.lock\n",
            File.ReadAllText(dir.File(".gitignore")));
    }
}
