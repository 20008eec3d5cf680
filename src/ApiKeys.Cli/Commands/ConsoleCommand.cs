using System.CommandLine;
using System.Globalization;
using ApiKeys.Cli.Output;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys</c> with no command: the seed's console, same menu, same wording, same flow. The store is opened
/// afresh for every choice, so changes made meanwhile by other processes are shown.
/// </summary>
internal static class ConsoleCommand
{
    private const string Prompt = "Enter your choice (1-5): ";

    public static void Attach(Command root, CliContext context) => root.SetAction(_ => Run(context));

    public static int Run(CliContext context)
    {
        // Fail at once, with the file and the fix, on a store that cannot be read.
        using (context.Stores.Open(creates: true))
        {
        }

        while (ReadChoice(context) is { } choice && choice != "5")
        {
            try
            {
                using var manager = context.Stores.Open(creates: true);
                switch (choice)
                {
                    case "1":
                        Add(context, manager);
                        break;
                    case "2":
                        KeyText.WriteList(context, manager.GetStatuses());
                        break;
                    case "3":
                        Remove(context, manager);
                        break;
                    default:
                        Statuses(context, manager);
                        break;
                }
            }
            catch (CliException e) when (e.InnerException is KeyStoreException)
            {
                // A write that failed: in the seed's error form, on stderr.
                context.Error.WriteLine($"ERROR - {e.Message}");
            }
            catch (CliException e)
            {
                context.Out.WriteLine(e.Message);
            }
            catch (KeyStoreException e)
            {
                context.Error.WriteLine($"ERROR - {StoreErrors.Describe(e)}");
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Shows the menu and reads a choice from 1 to 5, asking again until one is given; null at the end of input.</summary>
    private static string? ReadChoice(CliContext context)
    {
        var output = context.Out;
        output.WriteLine();
        output.WriteLine("API Key Management Console");
        output.WriteLine("1. Add new API Key");
        output.WriteLine("2. List stored API Keys");
        output.WriteLine("3. Remove API Key");
        output.WriteLine("4. View Key Statuses");
        output.WriteLine("5. Exit");
        while (true)
        {
            output.Write(Prompt);
            output.Flush();
            string? choice = context.Console.ReadLine()?.Trim();
            if (choice is null)
            {
                // End of input (Ctrl-D): leave cleanly; every change is already on disk.
                output.WriteLine();
                return null;
            }

            if (choice is "1" or "2" or "3" or "4" or "5")
            {
                return choice;
            }

            output.WriteLine("Invalid choice. Please enter a number from 1 to 5.");
        }
    }

    private static void Add(CliContext context, ApiKeyManager manager)
    {
        var secret = context.ReadSecret("Enter API key (input hidden): ");
        if (secret is null || secret.Trim().Length == 0)
        {
            context.Out.WriteLine("No key entered.");
            return;
        }

        string notDone = $"Key not added ({KeyMask.Mask(secret.Trim())})";
        var result = StoreOpener.Change(manager, notDone, m => m.AddKey(secret, allowGeneric: false));
        if (result.Status == AddKeyStatus.UnknownFormat)
        {
            if (!context.Ask($"{result.Message} Add it anyway? [y/N]: "))
            {
                context.Out.WriteLine("Not added.");
                return;
            }

            result = StoreOpener.Change(manager, notDone, m => m.AddKey(secret, allowGeneric: true));
        }

        context.Out.WriteLine(result.Message);
    }

    private static void Remove(CliContext context, ApiKeyManager manager)
    {
        var statuses = manager.GetStatuses();
        KeyText.WriteList(context, statuses);
        if (statuses.Count == 0)
        {
            return;
        }

        context.Out.Write("Enter key number to remove: ");
        context.Out.Flush();
        var answer = context.Console.ReadLine();
        if (answer is null)
        {
            context.Out.WriteLine();
            return;
        }

        if (!int.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || number > statuses.Count)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Invalid key number: enter a number from 1 to {statuses.Count}."));
            return;
        }

        var status = statuses[number - 1];
        if (!context.Ask(string.Create(CultureInfo.InvariantCulture, $"Remove key {number} ({status.Mask})? [y/N]: ")))
        {
            context.Out.WriteLine("Not removed.");
            return;
        }

        var key = manager.Keys.FirstOrDefault(k => k.Id == status.Id);
        StoreOpener.Change(manager, $"Not removed ({status.Mask})", m => m.RemoveKey(status.Id));
        context.Out.WriteLine($"Removed key: {(key is null ? status.Mask : KeyMask.Tail(key.Secret))}");
    }

    private static void Statuses(CliContext context, ApiKeyManager manager)
    {
        var statuses = manager.GetStatuses();
        if (statuses.Count == 0)
        {
            context.Out.WriteLine("No API keys stored.");
        }

        foreach (var status in statuses)
        {
            KeyText.WriteStatus(context, status, why: false);
        }
    }
}
