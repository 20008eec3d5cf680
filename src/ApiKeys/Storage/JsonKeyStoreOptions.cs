using System.ComponentModel.DataAnnotations;
using ApiKeys.Keys;

namespace ApiKeys.Storage;

/// <summary>Options of <see cref="JsonKeyStore"/>.</summary>
public sealed class JsonKeyStoreOptions
{
    /// <summary>The keys file's name.</summary>
    /// <value>The default is <c>api_keys.json</c> (the seed's). A file name, not a path.</value>
    [Required]
    public string KeysFileName { get; set; } = JsonKeyStore.KeysFileName;

    /// <summary>The states file's name.</summary>
    /// <value>The default is <c>api_key_states.json</c> (the seed's). A file name, not a path.</value>
    [Required]
    public string StatesFileName { get; set; } = JsonKeyStore.StatesFileName;

    /// <summary>Keys given directly: the store keeps only their states, and never writes a keys file.</summary>
    /// <value>The default is null: the keys live in the keys file.</value>
    public IReadOnlyList<ApiKey>? GivenKeys { get; set; }

    /// <summary>The largest file the store reads.</summary>
    /// <value>The default is 64 MiB. Between 1 byte and 1 GiB.</value>
    public long MaxFileBytes { get; set; } = StoreFile.DefaultMaxBytes;

    /// <summary>
    /// Whether the first write creates the store directory (0700, with any missing parents) when it does not exist. When
    /// false, reading or writing a store whose directory does not exist fails with <see cref="KeyStoreErrorKind.NotFound"/>:
    /// for tools whose commands only read a store, where a mistyped directory must be an error, not an empty store.
    /// </summary>
    /// <value>The default is true (the seed's behaviour). Reading never creates the directory either way.</value>
    public bool CreateDirectory { get; set; } = true;

    /// <summary>
    /// Encrypts the keys file at rest; null: plain JSON (an encrypted file then cannot be opened). With a protector, a plain
    /// keys file is refused (<see cref="KeyStoreErrorKind.NotEncrypted"/>): <c>apikeys encrypt</c> encrypts it.
    /// </summary>
    /// <value>The default is null.</value>
    public IKeyFileProtector? Protector { get; set; }

    /// <summary>Validates the options (the same validator runs with and without DI).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new JsonKeyStoreOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(JsonKeyStoreOptions), typeof(JsonKeyStoreOptions), result.Failures);
        }
    }
}
