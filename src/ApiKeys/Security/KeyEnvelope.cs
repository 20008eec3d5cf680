using System.Buffers.Binary;
using System.Text;
using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>
/// The encrypted keys file, version 1 (big-endian integers; docs/security.md draws it byte by byte):
/// <code>
///   0   8  magic "APIKEYS\x01"          |
///   8   1  version (1)                  |
///   9   1  KDF id (1 = PBKDF2-SHA256)   | KDF header: associated data of the key wrap
///  10   4  iterations                   |
///  14   4  memory KiB (0 for PBKDF2)    |
///  18   4  parallelism (0 for PBKDF2)   |
///  22  16  salt                         |
///  38  12  wrap nonce                   |
///  50  32  wrapped data key             | the whole header: associated data of the payload
///  82  16  wrap tag                     |
///  98   1  role length r (1..32)        |
///  99   r  role (ASCII)                 |
///  99+r 8  generation                   |
/// 107+r 12 data nonce                   |
/// 119+r n  ciphertext (AES-256-GCM under the data key)
///  end 16  tag
/// </code>
/// </summary>
internal readonly ref struct KeyEnvelope
{
    public const byte Version = 1;
    public const byte KdfPbkdf2Sha256 = 1;
    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;
    public const int MaxRoleLength = 32;

    public const int KdfHeaderEnd = 38;
    public const int WrapEnd = 98;
    private const int VersionOffset = 8;
    private const int KdfOffset = 9;
    private const int IterationsOffset = 10;
    private const int MemoryOffset = 14;
    private const int ParallelismOffset = 18;
    private const int SaltOffset = 22;
    private const int WrapNonceOffset = 38;
    private const int WrappedKeyOffset = 50;
    private const int WrapTagOffset = 82;
    private const int RoleOffset = 98;

    private KeyEnvelope(ReadOnlySpan<byte> bytes, int roleLength)
    {
        Bytes = bytes;
        RoleLength = roleLength;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    private int RoleLength { get; }

    public byte KdfId => Bytes[KdfOffset];

    public uint Iterations => BinaryPrimitives.ReadUInt32BigEndian(Bytes[IterationsOffset..]);

    public uint MemoryKiB => BinaryPrimitives.ReadUInt32BigEndian(Bytes[MemoryOffset..]);

    public uint Parallelism => BinaryPrimitives.ReadUInt32BigEndian(Bytes[ParallelismOffset..]);

    public ReadOnlySpan<byte> Salt => Bytes.Slice(SaltOffset, SaltSize);

    /// <summary>Magic, version, KDF and salt: what the key-encryption key depends on.</summary>
    public ReadOnlySpan<byte> KdfHeader => Bytes[..KdfHeaderEnd];

    /// <summary>The KDF header and the wrapped data key: what the data key depends on.</summary>
    public ReadOnlySpan<byte> WrapSection => Bytes[..WrapEnd];

    public ReadOnlySpan<byte> WrapNonce => Bytes.Slice(WrapNonceOffset, NonceSize);

    public ReadOnlySpan<byte> WrappedKey => Bytes.Slice(WrappedKeyOffset, KeySize);

    public ReadOnlySpan<byte> WrapTag => Bytes.Slice(WrapTagOffset, TagSize);

    public ReadOnlySpan<byte> Role => Bytes.Slice(RoleOffset + 1, RoleLength);

    public long Generation => (long)BinaryPrimitives.ReadUInt64BigEndian(Bytes[GenerationOffset..]);

    public ReadOnlySpan<byte> Header => Bytes[..HeaderEnd];

    public ReadOnlySpan<byte> DataNonce => Bytes.Slice(GenerationOffset + 8, NonceSize);

    public ReadOnlySpan<byte> Ciphertext => Bytes[HeaderEnd..^TagSize];

    public ReadOnlySpan<byte> Tag => Bytes[^TagSize..];

    private int GenerationOffset => RoleOffset + 1 + RoleLength;

    private int HeaderEnd => GenerationOffset + 8 + NonceSize;

    public static int HeaderSize(int roleLength) => RoleOffset + 1 + roleLength + 8 + NonceSize;

    /// <summary>Checks the structure (not the cryptography): magic, version, KDF id, lengths.</summary>
    public static KeyEnvelope Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (!EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            throw Fail(path, "not an encrypted keys file (no APIKEYS envelope magic)");
        }

        if (bytes.Length <= VersionOffset)
        {
            throw Fail(path, "the encrypted file is truncated");
        }

        if (bytes[VersionOffset] != Version)
        {
            throw Fail(path, $"unknown envelope version {bytes[VersionOffset]} (this build reads version {Version}); upgrade apikeys to open it");
        }

        if (bytes.Length < RoleOffset + 1)
        {
            throw Fail(path, "the encrypted file is truncated");
        }

        int roleLength = bytes[RoleOffset];
        if (roleLength is 0 or > MaxRoleLength || bytes.Length < HeaderSize(roleLength) + TagSize)
        {
            throw Fail(path, "the encrypted file is truncated or its header is damaged");
        }

        var envelope = new KeyEnvelope(bytes, roleLength);
        if (envelope.KdfId != KdfPbkdf2Sha256)
        {
            throw Fail(path, $"unknown key derivation function id {envelope.KdfId} (this build knows 1, PBKDF2-HMAC-SHA256)");
        }

        if (envelope.Generation < 0)
        {
            throw Fail(path, "the header's generation is out of range (damaged)");
        }

        foreach (byte b in envelope.Role)
        {
            if (!IsRoleByte(b))
            {
                throw Fail(path, "the header's role is damaged");
            }
        }

        return envelope;
    }

    /// <summary>Writes the KDF header and the wrapped key (bytes 0 to 98) of a new envelope.</summary>
    public static void WriteWrapSection(Span<byte> destination, int iterations, ReadOnlySpan<byte> salt)
    {
        EncryptedEnvelopeMagic.Magic.CopyTo(destination);
        destination[VersionOffset] = Version;
        destination[KdfOffset] = KdfPbkdf2Sha256;
        BinaryPrimitives.WriteUInt32BigEndian(destination[IterationsOffset..], (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(destination[MemoryOffset..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ParallelismOffset..], 0);
        salt.CopyTo(destination[SaltOffset..]);
    }

    public static Span<byte> WrapNonceOf(Span<byte> wrapSection) => wrapSection.Slice(WrapNonceOffset, NonceSize);

    public static Span<byte> WrappedKeyOf(Span<byte> wrapSection) => wrapSection.Slice(WrappedKeyOffset, KeySize);

    public static Span<byte> WrapTagOf(Span<byte> wrapSection) => wrapSection.Slice(WrapTagOffset, TagSize);

    /// <summary>Lays out a whole envelope after <paramref name="wrapSection"/>; returns it and the spans to fill.</summary>
    public static byte[] Allocate(ReadOnlySpan<byte> wrapSection, string role, long generation, int plaintextLength, out int headerEnd)
    {
        headerEnd = HeaderSize(role.Length);
        var bytes = new byte[headerEnd + plaintextLength + TagSize];
        wrapSection.CopyTo(bytes);
        bytes[RoleOffset] = (byte)role.Length;
        Encoding.ASCII.GetBytes(role, bytes.AsSpan(RoleOffset + 1));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(RoleOffset + 1 + role.Length), (ulong)generation);
        return bytes;
    }

    public static void CheckRole(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (role.Length > MaxRoleLength)
        {
            throw new ArgumentException($"A role has at most {MaxRoleLength} characters.", nameof(role));
        }

        foreach (char c in role)
        {
            if (c > 0x7f || !IsRoleByte((byte)c))
            {
                throw new ArgumentException("A role is made of a-z, 0-9, '-' and '_'.", nameof(role));
            }
        }
    }

    public static KeyStoreException Fail(string path, string reason, Exception? inner = null) =>
        new($"{path}: {reason}; the file was left as it is.", path, KeyStoreErrorKind.Decryption, innerException: inner);

    private static bool IsRoleByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_';
}
