using ApiKeys.Storage;

namespace ApiKeys.Cli.Storage;

/// <summary>
/// WORKAROUND for a core bug at this branch's base (0d1239c): <c>JsonKeyStore.UpdateKeys</c> without a protector
/// clears the serialized keys (<c>Array.Clear(json)</c>) before writing them, so api_keys.json becomes zero bytes of
/// value. With a protector the write gets a copy. This one writes the plain JSON unchanged and reads nothing as
/// protected. Remove it when the core fix (clear after the write) is merged; the encryption issue's protector
/// replaces it in <see cref="Cli.StoreOpener"/>.
/// </summary>
internal sealed class PlainWriteProtector : IKeyFileProtector
{
    public static PlainWriteProtector Instance { get; } = new();

    public bool IsProtected(ReadOnlySpan<byte> fileBytes) => false;

    public (byte[] Plaintext, long Generation) Unprotect(ReadOnlySpan<byte> fileBytes, string role, string path) =>
        throw new NotSupportedException("Plain files are never protected.");

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string role, long generation) => plaintext.ToArray();
}
