namespace ApiKeys.Security;

/// <summary>The passphrase sources: <c>APIKEYS_PASSPHRASE</c>, a passphrase file, a prompt, or (for code and tests) a value.</summary>
public static class PassphraseProvider
{
    /// <summary>The environment variable holding the passphrase.</summary>
    public const string EnvironmentVariable = "APIKEYS_PASSPHRASE";

    /// <summary>The environment variable holding the new passphrase of a change (<c>apikeys passwd</c>).</summary>
    public const string NewEnvironmentVariable = "APIKEYS_NEW_PASSPHRASE";

    /// <summary>The passphrase from an environment variable.</summary>
    /// <param name="variable">The variable; the default is <c>APIKEYS_PASSPHRASE</c>.</param>
    public static IPassphraseProvider FromEnvironment(string variable = EnvironmentVariable) => new EnvironmentPassphraseProvider(variable);

    /// <summary>The passphrase from a file (its first line); refused when the group or others can read the file.</summary>
    public static IPassphraseProvider FromFile(string path) => new FilePassphraseProvider(path);

    /// <summary>The passphrase from a callback, e.g. a hidden prompt; a null or empty answer means none.</summary>
    public static IPassphraseProvider FromDelegate(Func<PassphrasePurpose, char[]?> prompt) => new DelegatePassphraseProvider(prompt);

    /// <summary>A passphrase held in memory (library code and tests; a string cannot be cleared afterwards).</summary>
    public static IPassphraseProvider FromValue(string passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        return new DelegatePassphraseProvider(_ => passphrase.ToCharArray());
    }

    /// <summary>
    /// The usual order of a tool: the file when one is named, else the environment variable when it is set, else the prompt
    /// when there is one (an interactive terminal); otherwise asking fails with a message naming the three sources.
    /// </summary>
    /// <param name="passphraseFile">The <c>--passphrase-file</c> value, or null.</param>
    /// <param name="prompt">A hidden prompt, or null when not interactive.</param>
    /// <param name="variable">The environment variable.</param>
    public static IPassphraseProvider Default(string? passphraseFile, Func<PassphrasePurpose, char[]?>? prompt, string variable = EnvironmentVariable)
    {
        if (!string.IsNullOrEmpty(passphraseFile))
        {
            return FromFile(passphraseFile);
        }

        var environment = new EnvironmentPassphraseProvider(variable);
        if (environment.IsSet || prompt is null)
        {
            return environment;
        }

        return FromDelegate(prompt);
    }
}
