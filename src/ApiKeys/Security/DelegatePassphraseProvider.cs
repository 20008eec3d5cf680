using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>The passphrase from a callback (a hidden prompt).</summary>
internal sealed class DelegatePassphraseProvider : IPassphraseProvider
{
    private readonly Func<PassphrasePurpose, char[]?> _prompt;

    public DelegatePassphraseProvider(Func<PassphrasePurpose, char[]?> prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _prompt = prompt;
    }

    public char[] GetPassphrase(PassphrasePurpose purpose)
    {
        var value = _prompt(purpose);
        if (value is null || value.Length == 0)
        {
            throw new KeyStoreException("No passphrase was given.", null, KeyStoreErrorKind.Decryption);
        }

        return value;
    }

    public override string ToString() => "prompt";
}
