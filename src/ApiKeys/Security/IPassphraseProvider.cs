namespace ApiKeys.Security;

/// <summary>Where the passphrase of an encrypted store comes from: never a command-line argument (<c>ps</c> shows those to every user).</summary>
/// <remarks>See <see cref="PassphraseProvider"/> for the environment variable, a passphrase file and a prompt.</remarks>
public interface IPassphraseProvider
{
    /// <summary>Returns the passphrase in a fresh array that the caller clears after use.</summary>
    /// <param name="purpose">Why it is asked for.</param>
    /// <returns>The passphrase, not empty.</returns>
    /// <exception cref="Storage.KeyStoreException">No passphrase is available (<see cref="Storage.KeyStoreErrorKind.Decryption"/>).</exception>
    char[] GetPassphrase(PassphrasePurpose purpose);
}
