using System.Text;
using ApiKeys.Storage;

namespace ApiKeys.Security;

/// <summary>
/// The passphrase from a file: its first line (a trailing <c>\n</c> or <c>\r\n</c> is not part of it). A file the group or
/// others can read is refused, as ssh refuses such a private key.
/// </summary>
internal sealed class FilePassphraseProvider : IPassphraseProvider
{
    private const int MaxBytes = 64 * 1024;
    private readonly string _path;

    public FilePassphraseProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    public char[] GetPassphrase(PassphrasePurpose purpose)
    {
        byte[] bytes;
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(_path) & StorePermissions.GroupOrOthers) != 0)
            {
                throw new KeyStoreException($"{_path}: the passphrase file can be read by the group or others; run `chmod 600 {_path}` first.",
                    _path, KeyStoreErrorKind.PermissionDenied);
            }

            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            if (stream.Length > MaxBytes)
            {
                throw new KeyStoreException($"{_path}: larger than {MaxBytes} bytes: not a passphrase file.", _path, KeyStoreErrorKind.TooLarge);
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException e)
        {
            throw new KeyStoreException($"{_path}: the passphrase file does not exist.", _path, KeyStoreErrorKind.Io, innerException: e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new KeyStoreException($"{_path}: the passphrase file does not exist.", _path, KeyStoreErrorKind.Io, innerException: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KeyStoreException($"{_path}: Permission denied.", _path, KeyStoreErrorKind.PermissionDenied, innerException: e);
        }
        catch (IOException e) when (e is not KeyStoreException)
        {
            throw new KeyStoreException($"{_path}: {e.Message}", _path, KeyStoreErrorKind.Io, innerException: e);
        }

        try
        {
            int end = bytes.AsSpan().IndexOf((byte)'\n');
            end = end < 0 ? bytes.Length : end;
            if (end > 0 && bytes[end - 1] == '\r')
            {
                end--;
            }

            if (end == 0)
            {
                throw new KeyStoreException($"{_path}: the passphrase file is empty.", _path, KeyStoreErrorKind.Decryption);
            }

            var chars = new char[Encoding.UTF8.GetCharCount(bytes, 0, end)];
            Encoding.UTF8.GetChars(bytes, 0, end, chars, 0);
            return chars;
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    public override string ToString() => $"passphrase file {_path}";
}
