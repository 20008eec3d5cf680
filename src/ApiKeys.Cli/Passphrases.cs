using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// Where the tool gets a passphrase, never from an argument: a passphrase file (<c>--passphrase-file</c>), else an
/// environment variable, else a hidden prompt on stderr when standard input is a terminal. The order is
/// <see cref="PassphraseProvider.Default"/>'s; the variable is read through the console so in-process tests can set it.
/// </summary>
internal static class Passphrases
{
    /// <summary>
    /// Whether this run is given a passphrase (<c>--passphrase-file</c> or <c>APIKEYS_PASSPHRASE</c>), not just able to ask
    /// for one: the user means an encrypted store, so a plain keys file is refused and a new store is created encrypted.
    /// The prompt is only ever used for a store that is encrypted already.
    /// </summary>
    public static bool IsConfigured(CliContext context) =>
        !string.IsNullOrEmpty(context.PassphraseFile)
        || context.Console.GetEnvironmentVariable(PassphraseProvider.EnvironmentVariable) is { Length: > 0 };

    /// <summary>The passphrase of the store (<c>--passphrase-file</c>, <c>APIKEYS_PASSPHRASE</c>, the prompt).</summary>
    public static IPassphraseProvider Current(CliContext context) =>
        Choose(context, context.PassphraseFile, PassphraseProvider.EnvironmentVariable, "--passphrase-file");

    /// <summary>The new passphrase of <c>passwd</c> (<c>--new-passphrase-file</c>, <c>APIKEYS_NEW_PASSPHRASE</c>, the prompt asking twice).</summary>
    public static IPassphraseProvider New(CliContext context, string? newPassphraseFile) =>
        Choose(context, newPassphraseFile, PassphraseProvider.NewEnvironmentVariable, "--new-passphrase-file", forceNew: true);

    private static IPassphraseProvider Choose(CliContext context, string? file, string variable, string fileOption, bool forceNew = false)
    {
        if (!string.IsNullOrEmpty(file))
        {
            return PassphraseProvider.FromFile(file);
        }

        if (context.Console.GetEnvironmentVariable(variable) is { Length: > 0 })
        {
            // Read when asked (not now), as the library's environment provider does.
            return PassphraseProvider.FromDelegate(_ => context.Console.GetEnvironmentVariable(variable)?.ToCharArray());
        }

        if (context.Console.IsInputTerminal)
        {
            return PassphraseProvider.FromDelegate(purpose => Prompt(context, forceNew ? PassphrasePurpose.New : purpose));
        }

        return PassphraseProvider.FromDelegate(_ => throw new KeyStoreException(
            $"No passphrase: {variable} is not set (or use {fileOption} PATH, or run in a terminal to be asked).", null, KeyStoreErrorKind.Decryption));
    }

    /// <summary>The hidden prompt, on stderr so that standard output stays the command's (<c>list --json &gt; file</c>).</summary>
    private static char[]? Prompt(CliContext context, PassphrasePurpose purpose)
    {
        if (purpose != PassphrasePurpose.New)
        {
            return context.Console.ReadSecret($"Passphrase for {context.StoreDirectory} (input hidden): ", context.Error)?.ToCharArray();
        }

        string? first = context.Console.ReadSecret("New passphrase (input hidden): ", context.Error);
        if (string.IsNullOrEmpty(first))
        {
            return null;
        }

        string? second = context.Console.ReadSecret("Repeat the new passphrase: ", context.Error);
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new CliException("The two passphrases differ: nothing was changed.");
        }

        return first.ToCharArray();
    }
}
