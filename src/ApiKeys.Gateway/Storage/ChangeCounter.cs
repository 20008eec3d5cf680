using System.IO.MemoryMappedFiles;

namespace ApiKeys.Gateway.Storage;

/// <summary>
/// A number shared by every process on the machine that uses one file (an 8-byte file beside it, mapped in memory): a writer
/// adds one after it replaced the file (under the file's lock, so writers never race), a reader compares the number with the
/// one it saw with its copy. Reading it is a memory read, where looking at the file's stamp is a system call; a change is seen
/// by the next read in any process, as the stamp is (a shared mapping of a file is one page for every process).
/// </summary>
internal sealed class ChangeCounter : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private ChangeCounter(MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        _file = file;
        _view = view;
    }

    /// <summary>The counter in <paramref name="path"/> (created 0600 at zero), or null when it cannot be opened (a read-only store).</summary>
    public static ChangeCounter? TryOpen(string path)
    {
        FileStream? stream = null;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            stream = new FileStream(path, options);
            var file = MemoryMappedFile.CreateFromFile(stream, null, sizeof(long), MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            stream = null;
            return new ChangeCounter(file, file.CreateViewAccessor(0, sizeof(long), MemoryMappedFileAccess.ReadWrite));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>The number now.</summary>
    public long Read() => _view.ReadInt64(0);

    /// <summary>Adds one (the caller holds the lock of the file the counter follows).</summary>
    public void Add() => _view.Write(0, _view.ReadInt64(0) + 1);

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
