using ApiKeys.Gateway.Storage;

namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// The dashboard's password hash in <c>admin_password.json</c> of the store directory: 0600, written with the store's rules
/// (temp file, fsync, rename). Read again when its size or time changes, so a new password counts at the next request.
/// A file that cannot be read lets nobody in, and is never overwritten by the gateway.
/// </summary>
public sealed class AdminPasswordFile : IAdminPasswordStore
{
    /// <summary>The file's name.</summary>
    public const string FileName = "admin_password.json";

    private readonly Lock _gate = new();
    private (long Length, DateTime Time, AdminPassword? Password) _cached;

    /// <summary>The password file of the store in <paramref name="directory"/>.</summary>
    public AdminPasswordFile(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Location => Path;

    /// <inheritdoc />
    public ValueTask<AdminPassword?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return ValueTask.FromResult<AdminPassword?>(null);
        }

        lock (_gate)
        {
            if (_cached.Password is { } known && _cached.Length == info.Length && _cached.Time == info.LastWriteTimeUtc)
            {
                return ValueTask.FromResult<AdminPassword?>(known);
            }
        }

        var password = AdminPassword.Parse(File.ReadAllText(Path), Path);
        lock (_gate)
        {
            _cached = (info.Length, info.LastWriteTimeUtc, password);
        }

        return ValueTask.FromResult<AdminPassword?>(password);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(AdminPassword password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        PrivateFile.EnsureDirectory(System.IO.Path.GetDirectoryName(Path)!);
        PrivateFile.WriteAtomic(Path, System.Text.Encoding.UTF8.GetBytes(password.ToJson()));
        return ValueTask.CompletedTask;
    }
}
