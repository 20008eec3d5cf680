using ApiKeys.Keys;
using ApiKeys.Storage;
using Microsoft.Extensions.Logging;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Keys from environment variables <c>{prefix}1</c> to <c>{prefix}N</c> (gaps allowed), e.g. <c>GEMINI_KEY_1</c>.</summary>
    /// <param name="prefix">The variable prefix.</param>
    /// <param name="options">The options.</param>
    /// <param name="stateDirectory">A directory keeping the states; null: memory only.</param>
    /// <param name="logger">A logger.</param>
    /// <param name="timeProvider">The clock.</param>
    public static ApiKeyManager FromEnvironment(string prefix = "GEMINI_KEY_", ApiKeyManagerOptions? options = null, string? stateDirectory = null,
        ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new ApiKeyManager(ReadEnvironment(prefix), options, stateDirectory, logger, timeProvider);
    }

    /// <summary>Opens the JSON store in <paramref name="directory"/>.</summary>
    public static ApiKeyManager Open(string directory, ApiKeyManagerOptions? options = null, ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null)
        => new(new JsonKeyStore(directory, timeProvider: timeProvider), options, logger, timeProvider);

    /// <summary>The store directory used when none is given: <c>APIKEYS_DIR</c>, else the current directory.</summary>
    public static string DefaultDirectory()
    {
        var dir = Environment.GetEnvironmentVariable(DirectoryVariable);
        return string.IsNullOrWhiteSpace(dir) ? Directory.GetCurrentDirectory() : dir;
    }

    internal static IEnumerable<string> ReadEnvironment(string prefix)
    {
        var found = new SortedDictionary<int, string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
                && entry.Value is string value && !string.IsNullOrWhiteSpace(value))
            {
                found[n] = value.Trim();
            }
        }

        return found.Values;
    }

    private static IKeyStore DirectStore(IEnumerable<string?> apiKeys, string? stateDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(apiKeys);
        var now = time.GetUtcNow();
        var keys = new List<ApiKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in apiKeys)
        {
            var secret = raw?.Trim();
            if (!string.IsNullOrEmpty(secret) && seen.Add(secret))
            {
                keys.Add(new ApiKey(secret, now));
            }
        }

        return stateDirectory is null
            ? new MemoryKeyStore(keys, holdsKeys: true)
            : new JsonKeyStore(stateDirectory, new JsonKeyStoreOptions { GivenKeys = keys }, time);
    }
}
