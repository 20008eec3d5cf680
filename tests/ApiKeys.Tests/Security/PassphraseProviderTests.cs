using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Security;

public class PassphraseProviderTests
{
    [Fact]
    public void FromEnvironment_Set_ReturnsValue()
    {
        string variable = "APIKEYS_TEST_PASSPHRASE_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from env");
        try
        {
            var provider = PassphraseProvider.FromEnvironment(variable);

            var passphrase = provider.GetPassphrase(PassphrasePurpose.Unlock);

            Assert.Equal("from env", new string(passphrase));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void FromEnvironment_Unset_ThrowsNamingTheVariable()
    {
        string variable = "APIKEYS_TEST_PASSPHRASE_" + Guid.NewGuid().ToString("N");
        var provider = PassphraseProvider.FromEnvironment(variable);

        var e = Assert.Throws<KeyStoreException>(() => provider.GetPassphrase(PassphrasePurpose.Unlock));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_Private_ReturnsFirstLineWithoutNewline()
    {
        using var dir = new TempDirectory();
        string path = WriteSecretFile(dir, "file passphrase\r\nsecond line\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var passphrase = PassphraseProvider.FromFile(path).GetPassphrase(PassphrasePurpose.Unlock);

        Assert.Equal("file passphrase", new string(passphrase));
    }

    [Fact]
    public void FromFile_ReadableByOthers_Refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        string path = WriteSecretFile(dir, "pw\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var e = Assert.Throws<KeyStoreException>(() => PassphraseProvider.FromFile(path).GetPassphrase(PassphrasePurpose.Unlock));

        Assert.Equal(KeyStoreErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_EmptyOrMissing_Throws()
    {
        using var dir = new TempDirectory();
        string empty = WriteSecretFile(dir, "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Throws<KeyStoreException>(() => PassphraseProvider.FromFile(empty).GetPassphrase(PassphrasePurpose.Unlock));
        Assert.Throws<KeyStoreException>(() => PassphraseProvider.FromFile(dir.File("missing")).GetPassphrase(PassphrasePurpose.Unlock));
    }

    [Fact]
    public void FromDelegate_PassesPurposeAndRefusesNoAnswer()
    {
        var asked = new List<PassphrasePurpose>();
        var provider = PassphraseProvider.FromDelegate(p =>
        {
            asked.Add(p);
            return p == PassphrasePurpose.New ? "typed".ToCharArray() : null;
        });

        var typed = provider.GetPassphrase(PassphrasePurpose.New);

        Assert.Equal("typed", new string(typed));
        Assert.Throws<KeyStoreException>(() => provider.GetPassphrase(PassphrasePurpose.Unlock));
        Assert.Equal([PassphrasePurpose.New, PassphrasePurpose.Unlock], asked);
    }

    [Fact]
    public void Default_FileThenEnvironmentThenPrompt()
    {
        using var dir = new TempDirectory();
        string file = WriteSecretFile(dir, "from file", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string variable = "APIKEYS_TEST_PASSPHRASE_" + Guid.NewGuid().ToString("N");
        static char[] Prompt(PassphrasePurpose _) => "from prompt".ToCharArray();

        string fromFile = new(PassphraseProvider.Default(file, Prompt, variable).GetPassphrase(PassphrasePurpose.Unlock));
        string fromPrompt = new(PassphraseProvider.Default(null, Prompt, variable).GetPassphrase(PassphrasePurpose.Unlock));
        Environment.SetEnvironmentVariable(variable, "from env");
        string fromEnv;
        try
        {
            fromEnv = new(PassphraseProvider.Default(null, Prompt, variable).GetPassphrase(PassphrasePurpose.Unlock));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.Equal("from file", fromFile);
        Assert.Equal("from prompt", fromPrompt);
        Assert.Equal("from env", fromEnv);
    }

    private static string WriteSecretFile(TempDirectory dir, string content, UnixFileMode mode)
    {
        string path = dir.File("passphrase");
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
