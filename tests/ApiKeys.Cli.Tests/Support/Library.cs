using ApiKeys.Storage;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>The core library on a test store, as an application would open it.</summary>
internal static class Library
{
    /// <summary>Opens the pool on <paramref name="dir"/>, as an application would.</summary>
    public static ApiKeyManager Open(string dir, TimeProvider? time = null) =>
        new(new JsonKeyStore(dir, timeProvider: time),
            new ApiKeyManagerOptions { JitterRatio = 0 }, timeProvider: time);
}
