using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.EndToEnd;

/// <summary>An encrypted store in the real tool, at the library's full key derivation cost (600,000 iterations).</summary>
public sealed class EncryptionSessionTests
{
    private const string Passphrase = "typed staple battery horse";

    [Fact]
    public void EncryptThenList_OnATerminal_PassphraseAskedHiddenNeverShown()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        int encrypted;
        string encryptScreen;
        using (var pty = PtySession.Start(dir.Path, "encrypt"))
        {
            pty.WaitFor("New passphrase (input hidden): ");
            pty.Type(Passphrase + "\n");
            pty.WaitFor("Repeat the new passphrase: ");
            pty.Type(Passphrase + "\n");
            pty.WaitFor("Encrypted ");
            encrypted = pty.WaitForExit();
            encryptScreen = pty.Screen;
        }

        using var list = PtySession.Start(dir.Path, "list");
        list.WaitFor("(input hidden): ");
        list.Type(Passphrase + "\n");
        list.WaitFor("1. AIza...YNQs (Active)");
        int listed = list.WaitForExit();

        Assert.Equal(0, encrypted);
        Assert.Equal(0, listed);
        Assert.DoesNotContain("staple", encryptScreen, StringComparison.Ordinal);
        Assert.DoesNotContain("staple", list.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("*", list.Screen, StringComparison.Ordinal);
        Assert.Contains($"Passphrase for {dir.Path} (input hidden): \n", list.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptListWrongPassphrase_RealProcess_EnvironmentVariableHonouredFileUntouched()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var right = new Dictionary<string, string> { ["APIKEYS_PASSPHRASE"] = Passphrase };
        var wrong = new Dictionary<string, string> { ["APIKEYS_PASSPHRASE"] = "not the passphrase" };

        var encrypt = CliBinary.RunWith(right, dir.Path, "", "encrypt");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));
        var list = CliBinary.RunWith(right, dir.Path, "", "list");
        var refused = CliBinary.RunWith(wrong, dir.Path, "", "list");

        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("1. AIza...YNQs (Active)", list.Out);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"apikeys: {dir.File("api_keys.json")}: wrong passphrase", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
        Assert.DoesNotContain("staple", encrypt.Out + encrypt.Error + list.Out + list.Error + refused.Error, StringComparison.Ordinal);
    }
}
