using ApiKeys.Security;

namespace ApiKeys.Tests.Security;

/// <summary>Cheap key derivation for tests (the defaults cost 600,000 iterations a run) and a passphrase source that counts its calls.</summary>
internal static class CryptoTestSupport
{
    public const int FastIterations = 1000;

    public static PassphraseProtectorOptions Fast => new() { Iterations = FastIterations, MinIterations = 1, MaxIterations = 4096 };

    public static PassphraseProtector Protector(string passphrase) => new(passphrase, Fast);

    public static byte[] Json(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}

/// <summary>Gives a fixed passphrase and counts how often it was asked, per purpose.</summary>
internal sealed class CountingProvider(string passphrase) : IPassphraseProvider
{
    public int Unlocks { get; private set; }

    public int News { get; private set; }

    public char[] GetPassphrase(PassphrasePurpose purpose)
    {
        if (purpose == PassphrasePurpose.New)
        {
            News++;
        }
        else
        {
            Unlocks++;
        }

        return passphrase.ToCharArray();
    }
}
