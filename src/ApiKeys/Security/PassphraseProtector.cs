using System.Security.Cryptography;
using System.Text;
using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>
/// Encrypts the keys file with a passphrase: a random 256-bit data key encrypts the file (AES-256-GCM, a fresh nonce on
/// every write, the header, role and generation as associated data); a key derived from the passphrase
/// (PBKDF2-HMAC-SHA256, 600,000 iterations) wraps the data key. The layout is in docs/security.md.
/// </summary>
/// <remarks>
/// The passphrase is asked for once per salt: the derived key and the unwrapped data key stay in memory (pinned, cleared
/// on <see cref="Dispose"/>), so every later read and write of the same file costs no key derivation. Use one protector
/// per store: it also remembers the highest generation it read or wrote of each file and refuses an older one (a
/// replayed copy) while the process lives.
/// </remarks>
public sealed partial class PassphraseProtector : IKeyFileProtector, IDisposable
{
    private readonly Lock _gate = new();
    private readonly PassphraseProtectorOptions _options;
    private IPassphraseProvider _provider;
    private byte[]? _kdfHeader;
    private byte[]? _kek;
    private byte[]? _wrapSection;
    private byte[]? _dataKey;
    private bool _disposed;

    /// <summary>A protector asking <paramref name="provider"/> for the passphrase when it first needs it.</summary>
    /// <param name="provider">The passphrase source.</param>
    /// <param name="options">The key derivation parameters; null for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A parameter is out of range.</exception>
    public PassphraseProtector(IPassphraseProvider provider, PassphraseProtectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _options = (options ?? new PassphraseProtectorOptions()).Clone();
        _options.Validate();
        _provider = provider;
    }

    /// <summary>A protector with a passphrase held in memory (library code and tests).</summary>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="options">The key derivation parameters; null for the defaults.</param>
    public PassphraseProtector(string passphrase, PassphraseProtectorOptions? options = null)
        : this(PassphraseProvider.FromValue(passphrase), options)
    {
    }

    /// <summary>Whether a data key is in memory (after a successful read, or <see cref="CreateKey"/>).</summary>
    public bool IsUnlocked
    {
        get
        {
            lock (_gate)
            {
                return _dataKey is not null;
            }
        }
    }

    /// <summary>How many times a key was derived from a passphrase (for tests and benchmarks).</summary>
    internal int KdfRuns { get; private set; }

    /// <inheritdoc />
    public bool IsProtected(ReadOnlySpan<byte> fileBytes) => EncryptedEnvelopeMagic.IsEnvelope(fileBytes);

    /// <inheritdoc />
    public (byte[] Plaintext, long Generation) Unprotect(ReadOnlySpan<byte> fileBytes, string role, string path)
    {
        KeyEnvelope.CheckRole(role);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var envelope = KeyEnvelope.Parse(fileBytes, path);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var dataKey = Unlock_NeedsLock(envelope, path);
            var plaintext = new byte[envelope.Ciphertext.Length];
            try
            {
                using var aes = new AesGcm(dataKey, KeyEnvelope.TagSize);
                aes.Decrypt(envelope.DataNonce, envelope.Ciphertext, envelope.Tag, plaintext, envelope.Header);
            }
            catch (CryptographicException e)
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw KeyEnvelope.Fail(path, "the encrypted file was altered or damaged (authentication failed)", e);
            }

            try
            {
                string fileRole = Encoding.ASCII.GetString(envelope.Role);
                if (fileRole != role)
                {
                    throw KeyEnvelope.Fail(path, $"this is a '{fileRole}' file, not a '{role}' file (was a file swapped in?)");
                }

                CheckGeneration_NeedsLock(role, path, envelope.Generation);
                return (plaintext, envelope.Generation);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>When nothing is unlocked yet (a new or plain store), a new data key is made (see <see cref="CreateKey"/>).</remarks>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string role, long generation)
    {
        KeyEnvelope.CheckRole(role);
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_dataKey is null)
            {
                Wrap_NeedsLock(_provider, newDataKey: true);
            }

            var bytes = KeyEnvelope.Allocate(_wrapSection, role, generation, plaintext.Length, out int headerEnd);
            var nonce = bytes.AsSpan(headerEnd - KeyEnvelope.NonceSize, KeyEnvelope.NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(_dataKey!, KeyEnvelope.TagSize))
            {
                aes.Encrypt(nonce, plaintext, bytes.AsSpan(headerEnd, plaintext.Length), bytes.AsSpan(bytes.Length - KeyEnvelope.TagSize), bytes.AsSpan(0, headerEnd));
            }

            RememberWrite_NeedsLock(role, generation);
            return bytes;
        }
    }

    /// <summary>
    /// Makes a new random data key and salt, wrapped under the passphrase the provider gives for
    /// <see cref="PassphrasePurpose.New"/>: the first envelope of a store being encrypted. <see cref="Protect"/> calls it
    /// by itself when nothing is unlocked.
    /// </summary>
    public void CreateKey()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Wrap_NeedsLock(_provider, newDataKey: true);
        }
    }

    /// <summary>
    /// Wraps the unlocked data key under a new passphrase (new salt, new derived key); the next <see cref="Protect"/>
    /// writes the new header. The data key itself is kept unless <paramref name="newDataKey"/>, so the keys are not
    /// re-encrypted one by one; only the file is sealed again.
    /// </summary>
    /// <param name="newPassphrase">The new passphrase's source, asked with <see cref="PassphrasePurpose.New"/>; it becomes this protector's source.</param>
    /// <param name="newDataKey">Also replace the data key (after a leak of the old passphrase together with an old copy of the file).</param>
    /// <exception cref="InvalidOperationException">Nothing is unlocked: read the file first.</exception>
    public void ChangePassphrase(IPassphraseProvider newPassphrase, bool newDataKey = false)
    {
        ArgumentNullException.ThrowIfNull(newPassphrase);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_dataKey is null)
            {
                throw new InvalidOperationException("Unlock the store (read its keys file) before changing the passphrase.");
            }

            Wrap_NeedsLock(newPassphrase, newDataKey);
            _provider = newPassphrase;
        }
    }

    /// <summary>Clears the derived key and the data key from memory.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Clear(ref _kek);
            Clear(ref _dataKey);
            _kdfHeader = null;
            _wrapSection = null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"passphrase protector (PBKDF2-HMAC-SHA256, {_options.Iterations} iterations)";

    private static byte[] NewSecretBuffer() => GC.AllocateArray<byte>(KeyEnvelope.KeySize, pinned: true);

    private static void Clear(ref byte[]? secret)
    {
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
            secret = null;
        }
    }

    private byte[] Unlock_NeedsLock(KeyEnvelope envelope, string path)
    {
        if (_wrapSection is not null && envelope.WrapSection.SequenceEqual(_wrapSection))
        {
            return _dataKey!;
        }

        // Bounds first: a crafted header must not make the reader spin, nor talk it into a weak derivation.
        uint iterations = envelope.Iterations;
        if (iterations < (uint)_options.MinIterations || iterations > (uint)_options.MaxIterations)
        {
            throw KeyEnvelope.Fail(path, $"the file asks for {iterations} PBKDF2 iterations, outside the {_options.MinIterations} to {_options.MaxIterations} this reader accepts");
        }

        if (envelope.MemoryKiB != 0 || envelope.Parallelism != 0)
        {
            throw KeyEnvelope.Fail(path, "the header's key derivation parameters are damaged");
        }

        bool fresh = _kdfHeader is null || !envelope.KdfHeader.SequenceEqual(_kdfHeader);
        var kek = fresh ? Derive(_provider, envelope.Salt, (int)iterations, PassphrasePurpose.Unlock) : _kek!;
        var dataKey = NewSecretBuffer();
        try
        {
            using var aes = new AesGcm(kek, KeyEnvelope.TagSize);
            aes.Decrypt(envelope.WrapNonce, envelope.WrappedKey, envelope.WrapTag, dataKey, envelope.KdfHeader);
        }
        catch (CryptographicException e)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            if (fresh)
            {
                CryptographicOperations.ZeroMemory(kek);
            }

            throw KeyEnvelope.Fail(path, fresh
                ? "wrong passphrase (or the file's header was altered)"
                : "the file's header was altered or damaged (the data key does not unwrap)", e);
        }

        if (fresh)
        {
            Clear(ref _kek);
            _kek = kek;
            _kdfHeader = envelope.KdfHeader.ToArray();
        }

        Clear(ref _dataKey);
        _dataKey = dataKey;
        _wrapSection = envelope.WrapSection.ToArray();
        return dataKey;
    }

    private void Wrap_NeedsLock(IPassphraseProvider provider, bool newDataKey)
    {
        Span<byte> salt = stackalloc byte[KeyEnvelope.SaltSize];
        RandomNumberGenerator.Fill(salt);
        var wrap = new byte[KeyEnvelope.WrapEnd];
        KeyEnvelope.WriteWrapSection(wrap, _options.Iterations, salt);
        var kek = Derive(provider, salt, _options.Iterations, PassphrasePurpose.New);
        byte[] dataKey = _dataKey!;
        if (newDataKey || _dataKey is null)
        {
            dataKey = NewSecretBuffer();
            RandomNumberGenerator.Fill(dataKey);
        }

        RandomNumberGenerator.Fill(KeyEnvelope.WrapNonceOf(wrap));
        using (var aes = new AesGcm(kek, KeyEnvelope.TagSize))
        {
            aes.Encrypt(KeyEnvelope.WrapNonceOf(wrap), dataKey, KeyEnvelope.WrappedKeyOf(wrap), KeyEnvelope.WrapTagOf(wrap), wrap.AsSpan(0, KeyEnvelope.KdfHeaderEnd));
        }

        Clear(ref _kek);
        _kek = kek;
        _kdfHeader = wrap[..KeyEnvelope.KdfHeaderEnd];
        if (!ReferenceEquals(dataKey, _dataKey))
        {
            Clear(ref _dataKey);
            _dataKey = dataKey;
        }

        _wrapSection = wrap;
    }
}
