using System.Security.Cryptography;
using System.Text;
using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>Key derivation: PBKDF2-HMAC-SHA256 of the passphrase's UTF-8 (NFC) bytes, cleared right after.</summary>
public sealed partial class PassphraseProtector
{
    private byte[] Derive(IPassphraseProvider provider, ReadOnlySpan<byte> salt, int iterations, PassphrasePurpose purpose)
    {
        char[] passphrase = provider.GetPassphrase(purpose);
        byte[]? utf8 = null;
        try
        {
            if (passphrase.Length == 0)
            {
                throw new KeyStoreException("The passphrase is empty.", null, KeyStoreErrorKind.Decryption);
            }

            utf8 = Utf8Nfc(passphrase);
            var kek = NewSecretBuffer();
            Rfc2898DeriveBytes.Pbkdf2(utf8, salt, kek, iterations, HashAlgorithmName.SHA256);
            KdfRuns++;
            return kek;
        }
        finally
        {
            Array.Clear(passphrase);
            if (utf8 is not null)
            {
                CryptographicOperations.ZeroMemory(utf8);
            }
        }
    }

    /// <summary>UTF-8 of the NFC form, so a passphrase typed on systems that compose accents differently derives the same key.</summary>
    private static byte[] Utf8Nfc(char[] passphrase)
    {
        if (!Ascii.IsValid(passphrase))
        {
            // The normalised copy is a string, which cannot be cleared: only non-ASCII passphrases pay that.
            string text = new(passphrase);
            if (!text.IsNormalized(NormalizationForm.FormC))
            {
                return Encoding.UTF8.GetBytes(text.Normalize(NormalizationForm.FormC));
            }
        }

        return Encoding.UTF8.GetBytes(passphrase);
    }
}
