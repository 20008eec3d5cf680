using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>The passphrase from an environment variable (<c>APIKEYS_PASSPHRASE</c>), read each time it is asked for.</summary>
internal sealed class EnvironmentPassphraseProvider : IPassphraseProvider
{
    private readonly string _variable;

    public EnvironmentPassphraseProvider(string variable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        _variable = variable;
    }

    public bool IsSet => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(_variable));

    public char[] GetPassphrase(PassphrasePurpose purpose)
    {
        string? value = Environment.GetEnvironmentVariable(_variable);
        if (string.IsNullOrEmpty(value))
        {
            throw new KeyStoreException($"No passphrase: {_variable} is not set (or use --passphrase-file, or run in a terminal to be asked).",
                null, KeyStoreErrorKind.Decryption);
        }

        return value.ToCharArray();
    }

    public override string ToString() => $"environment variable {_variable}";
}
