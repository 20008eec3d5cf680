namespace ApiKeys.Storage;

/// <summary>Recognises an encrypted keys file by its magic value, so a store without the passphrase refuses it clearly instead of calling it corrupt.</summary>
public static class EncryptedEnvelopeMagic
{
    /// <summary>The first bytes of every encrypted store file.</summary>
    public static ReadOnlySpan<byte> Magic => "APIKEYS\u0001"u8;

    /// <summary>Whether <paramref name="bytes"/> starts with the magic value.</summary>
    public static bool IsEnvelope(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);
}
