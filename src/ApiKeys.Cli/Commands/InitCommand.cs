using System.CommandLine;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys init</c>: creates the store (directory 0700, an empty api_keys.json 0600, encrypted when a passphrase is
/// given) and a .gitignore for it.
/// </summary>
internal static class InitCommand
{
    /// <summary>The .gitignore lines that keep the store and its backups out of git (the seed: "Add .json files to .gitignore").</summary>
    public static readonly string[] IgnoreLines = ["api_keys*.json", "api_key_states*.json", ".apikeys.lock"];

    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Create the store (an empty api_keys.json) and a .gitignore that keeps it out of git.");
        command.SetAction(_ =>
        {
            var store = context.Stores.OpenStore(creates: true);
            bool existed = File.Exists(store.KeysPath);
            var snapshot = store.UpdateKeys(keys => existed ? null : new KeysUpdate(keys));
            context.Out.WriteLine(existed
                ? $"The store in {store.Directory} exists already ({snapshot.Keys?.Count ?? 0} keys): left as it is."
                : $"Created the store in {store.Directory} ({JsonKeyStore.KeysFileName}, {(store.IsEncrypted ? "encrypted, " : "")}mode 0600).");
            string ignore = Path.Combine(store.Directory, ".gitignore");
            var present = File.Exists(ignore) ? File.ReadAllLines(ignore).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal) : [];
            var missing = IgnoreLines.Where(l => !present.Contains(l)).ToList();
            if (missing.Count == 0)
            {
                context.Out.WriteLine($"{ignore} already keeps the store out of git.");
                return ExitCodes.Success;
            }

            string prefix = File.Exists(ignore) && new FileInfo(ignore).Length > 0 && !File.ReadAllText(ignore).EndsWith('\n') ? "\n" : "";
            File.AppendAllText(ignore, $"{prefix}# apikeys: the key store and its backups hold secrets\n{string.Join('\n', missing)}\n");
            context.Out.WriteLine($"Wrote {ignore} ({string.Join(", ", missing)}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
