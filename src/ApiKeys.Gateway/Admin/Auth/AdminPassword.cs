using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// The dashboard's password as the gateway keeps it: a slow hash (PBKDF2-HMAC-SHA256, 600,000 iterations like the store's
/// passphrase KDF, a random 16-byte salt), never the password. Written by <c>apikeys admin set-password</c>.
/// </summary>
public sealed class AdminPassword
{
    /// <summary>The iterations of a new hash.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The shortest password accepted.</summary>
    public const int MinimumLength = 12;

    private const string Format = "apikeys-admin/1";
    private const string Algorithm = "PBKDF2-HMAC-SHA256";

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private AdminPassword(int iterations, byte[] salt, byte[] hash, DateTimeOffset changedAt)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
        ChangedAt = changedAt;
        // Sessions carry this: a new password (a new salt) ends every session signed in before it.
        Stamp = Convert.ToHexStringLower(SHA256.HashData([.. salt, .. hash]))[..32];
    }

    /// <summary>The PBKDF2 iterations.</summary>
    public int Iterations { get; }

    /// <summary>When the password was set.</summary>
    public DateTimeOffset ChangedAt { get; }

    /// <summary>Names this password without revealing anything of it (a hash of its salt and hash).</summary>
    public string Stamp { get; }

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    /// <exception cref="ArgumentException">The password is shorter than <see cref="MinimumLength"/> or is only spaces.</exception>
    public static AdminPassword Create(ReadOnlySpan<char> password, DateTimeOffset now, int iterations = DefaultIterations)
    {
        if (password.Length < MinimumLength || password.IsWhiteSpace())
        {
            throw new ArgumentException($"the admin password must be at least {MinimumLength} characters (a passphrase of a few words is good).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        return new AdminPassword(iterations, salt, Derive(password, salt, iterations), now);
    }

    /// <summary>Whether <paramref name="password"/> is this password (compared in constant time).</summary>
    public bool Verify(ReadOnlySpan<char> password) => CryptographicOperations.FixedTimeEquals(Derive(password, _salt, Iterations), _hash);

    /// <summary>The stored form (JSON; salt and hash in base64).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("algorithm", Algorithm);
            writer.WriteNumber("iterations", Iterations);
            writer.WriteBase64String("salt", _salt);
            writer.WriteBase64String("hash", _hash);
            writer.WriteString("changedAt", ChangedAt);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Reads the stored form.</summary>
    /// <exception cref="InvalidDataException">It is not an admin password record this version reads.</exception>
    public static AdminPassword Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format || root.GetProperty("algorithm").GetString() != Algorithm)
            {
                throw new InvalidDataException($"{source} is not an admin password of this apikeys ({Format}, {Algorithm}); set it again: apikeys admin set-password");
            }

            int iterations = root.GetProperty("iterations").GetInt32();
            byte[] salt = root.GetProperty("salt").GetBytesFromBase64();
            byte[] hash = root.GetProperty("hash").GetBytesFromBase64();
            if (iterations < 1 || salt.Length < 16 || hash.Length != 32)
            {
                throw new InvalidDataException($"{source} holds an admin password with bad parameters; set it again: apikeys admin set-password");
            }

            return new AdminPassword(iterations, salt, hash, root.GetProperty("changedAt").GetDateTimeOffset());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source} cannot be read as an admin password ({e.GetType().Name}); it was left as it is: set it again with apikeys admin set-password", e);
        }
    }

    /// <summary>Shows nothing of the hash.</summary>
    public override string ToString() => $"admin password set {ChangedAt:u}";

    private static byte[] Derive(ReadOnlySpan<char> password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
}
