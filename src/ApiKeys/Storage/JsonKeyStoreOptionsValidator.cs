using Microsoft.Extensions.Options;

namespace ApiKeys.Storage;

/// <summary>Validates <see cref="JsonKeyStoreOptions"/>: the attributes (source-generated), the file names and the size limit.</summary>
/// <remarks>The same validator runs with DI (<c>UseJsonStore</c>, <c>ValidateOnStart</c>) and without (<see cref="JsonKeyStoreOptions.Validate"/>, in the store's constructor).</remarks>
public sealed class JsonKeyStoreOptionsValidator : IValidateOptions<JsonKeyStoreOptions>
{
    private const long MaxReadable = 1L << 30;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JsonKeyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new JsonKeyStoreOptionsAttributeValidator().Validate(name, options));
        CheckFileName(builder, nameof(options.KeysFileName), options.KeysFileName);
        CheckFileName(builder, nameof(options.StatesFileName), options.StatesFileName);
        if (string.Equals(options.KeysFileName, options.StatesFileName, StringComparison.OrdinalIgnoreCase))
        {
            builder.AddError($"must differ from KeysFileName; both are '{options.StatesFileName}'.", nameof(options.StatesFileName));
        }

        if (options.MaxFileBytes < 1 || options.MaxFileBytes > MaxReadable)
        {
            builder.AddError($"must be between 1 and {MaxReadable} bytes (1 GiB); it is {options.MaxFileBytes}.", nameof(options.MaxFileBytes));
        }

        return builder.Build();
    }

    /// <summary>A file of the store directory: no path (a name like <c>../x</c> would put the file elsewhere), not the lock file.</summary>
    private static void CheckFileName(ValidateOptionsResultBuilder builder, string option, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return; // [Required] says so.
        }

        if (value is "." or ".." || value.IndexOfAny(['/', '\\']) >= 0 || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            builder.AddError($"must be a file name in the store directory, not a path; it is '{value}'.", option);
        }
        else if (string.Equals(value, JsonKeyStore.LockFileName, StringComparison.OrdinalIgnoreCase))
        {
            builder.AddError($"must not be the lock file's name ({JsonKeyStore.LockFileName}).", option);
        }
    }
}
