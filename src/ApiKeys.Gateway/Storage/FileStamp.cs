namespace ApiKeys.Gateway.Storage;

/// <summary>
/// A file's size and time: the gateway's files are replaced by rename, so any change by this process or another shows
/// here, and a reader that keeps what it parsed looks at the stamp (one stat) instead of reading the file again.
/// </summary>
internal readonly record struct FileStamp(bool Exists, long Length, long Ticks)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(true, info.Length, info.LastWriteTimeUtc.Ticks) : default;
    }
}
