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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not there to be made (a read-only store), not a file, not 8 bytes: no counter; readers look at the stamp.
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>The number now; <see cref="long.MinValue"/> once closed (which no reader has seen: it looks at the stamp).</summary>
    public long Read()
    {
        try
        {
            return _view.ReadInt64(0);
        }
        catch (ObjectDisposedException)
        {
            return long.MinValue;
        }
    }

    /// <summary>
    /// Adds one (the caller holds the lock of the file the counter follows, and has replaced that file): a counter that
    /// cannot be written fails nothing, readers see the change at their next look at the stamp (within a second).
    /// </summary>
    public void Add()
    {
        try
        {
            _view.Write(0, _view.ReadInt64(0) + 1);
        }
        catch (Exception e) when (e is ObjectDisposedException or UnauthorizedAccessException or IOException)
        {
        }
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
