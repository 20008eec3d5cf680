using ApiKeys.Cli.Storage;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>The core library on a test store, as an application would open it.</summary>
internal static class Library
{
    /// <summary>
    /// Opens the pool on <paramref name="dir"/>. Key writes go through the CLI's pass-through protector, the
    /// workaround for the base's UpdateKeys bug (see PlainWriteProtector); reads are the library's own.
    /// </summary>
    public static ApiKeyManager Open(string dir, TimeProvider? time = null) =>
        new(new JsonKeyStore(dir, new JsonKeyStoreOptions { Protector = PlainWriteProtector.Instance }, time),
            new ApiKeyManagerOptions { JitterRatio = 0 }, timeProvider: time);
}
