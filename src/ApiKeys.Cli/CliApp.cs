using System.CommandLine;
using System.CommandLine.Help;
using ApiKeys.Cli.Commands;
using ApiKeys.Cli.Terminal;
using ApiKeys.Keys;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>Composes the commands (one file each under <c>Commands/</c>, registered here) and runs one command line.</summary>
internal static partial class CliApp
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code: 0 success, 1 a failure the user can fix, 2 a usage error.</summary>
    public static int Run(string[] args, CliConsole console, TimeProvider? timeProvider = null) => Run(args, console, timeProvider, protectorOptions: null);

    /// <summary>Runs <paramref name="args"/> with other key derivation parameters (in-process tests make encryption cheap).</summary>
    internal static int Run(string[] args, CliConsole console, TimeProvider? timeProvider, PassphraseProtectorOptions? protectorOptions)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var context = new CliContext(console, timeProvider) { ProtectorOptions = protectorOptions };
        var globals = new GlobalOptions();
        var root = Compose(context, globals);
        var parse = root.Parse(args);
        context.DirectoryOption = parse.GetValue(globals.Dir);
        context.Verbose = parse.GetValue(globals.Verbose);
        context.PassphraseFile = parse.GetValue(globals.PassphraseFile);
        context.AllowShared = parse.GetValue(globals.AllowShared);
        context.Arguments = ArgumentGuard.Values(parse);
        try
        {
            ArgumentGuard.Refuse(context.Arguments, SecretRedactor.Default);
        }
        catch (CliException e)
        {
            return Fail(context, e.Message, e, e.ExitCode);
        }

        if (parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command == root ? "apikeys" : $"apikeys {parse.CommandResult.Command.Name}";
            foreach (var error in parse.Errors)
            {
                // A mistyped command line may hold a passphrase (`--passphrase secret`): mask every quoted argument long
                // enough to be a secret (key-shaped ones were refused above, and the output is redacted).
                context.Error.WriteLine($"apikeys: {MaskQuoted(error.Message).TrimEnd('.')} (see {command} --help)");
            }

            return ExitCodes.Usage;
        }

        return Invoke(context, parse);
    }

    /// <summary>The command tree: the global options, the console (no command) and one command per file.</summary>
    private static Command Compose(CliContext context, GlobalOptions globals)
    {
        // A plain command named apikeys rather than RootCommand, whose name is the executable's (ApiKeys.Cli when run with dotnet).
        var root = new Command("apikeys", "Manage the API keys of an apikeys store (the seed's api_keys.json). With no command: the seed's console.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(globals.Dir);
        root.Options.Add(globals.Verbose);
        root.Options.Add(globals.PassphraseFile);
        root.Options.Add(globals.AllowShared);
        ConsoleCommand.Attach(root, context);
        Command[] commands =
        [
            AddCommand.Create(context),
            ListCommand.Create(context),
            RemoveCommand.Create(context),
            StatusCommand.Create(context),
            KeySwitchCommand.Create(context, KeySwitch.Enable),
            KeySwitchCommand.Create(context, KeySwitch.Disable),
            KeySwitchCommand.Create(context, KeySwitch.Reset),
            RotateCommand.Create(context),
            ImportCommand.Create(context),
            BackupCommand.Create(context),
            RestoreCommand.Create(context),
            DoctorCommand.Create(context),
            InitCommand.Create(context),
            EncryptCommand.Create(context),
            DecryptCommand.Create(context),
            PasswdCommand.Create(context),
            CheckCommand.Create(context),
            TokenCommand.Create(context),
            AdminCommand.Create(context),
            ServeCommand.Create(context),
            UsageCommand.Create(context),
            LogCommand.Create(context),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Runs the parsed command; every failure is one redacted line and an exit code.</summary>
    private static int Invoke(CliContext context, ParseResult parse)
    {
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (CliException e)
        {
            return Fail(context, e.Message, e, e.ExitCode);
        }
        catch (KeyStoreException e)
        {
            return Fail(context, StoreErrors.Describe(e), e, ExitCodes.Failure);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, e.Message, e, ExitCodes.Failure);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug: still one redacted line (the runtime's own report of an unhandled exception would print it raw).
            return Fail(context, $"unexpected error ({e.GetType().Name}): {e.Message}; please report it (--verbose shows where)", e, ExitCodes.Failure);
        }
    }

    /// <summary>Masks quoted arguments of 8 characters or more in a usage error: they may be secrets typed in the wrong place.</summary>
    internal static string MaskQuoted(string message) =>
        QuotedArgument().Replace(message, static m => m.Groups[1].Value.StartsWith('-') || m.Groups[1].Value.Contains("...", StringComparison.Ordinal)
            ? m.Value
            : $"'{KeyMask.Mask(m.Groups[1].Value)}'");

    [System.Text.RegularExpressions.GeneratedRegex("'([^'\\s]{8,})'")]
    private static partial System.Text.RegularExpressions.Regex QuotedArgument();

    /// <summary>One line on stderr (redacted there, as everything shown); the stack trace with --verbose.</summary>
    private static int Fail(CliContext context, string message, Exception e, int exitCode)
    {
        context.Error.WriteLine($"apikeys: {message}");
        if (context.Verbose)
        {
            context.Error.WriteLine(e.ToString());
        }

        return exitCode;
    }
}
