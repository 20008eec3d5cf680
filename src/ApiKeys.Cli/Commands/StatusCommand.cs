using System.CommandLine;
using ApiKeys.Cli.Output;
using ApiKeys.Pool;
using ApiKeys.Redis;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys status [key] [--why] [--redis CONNECTION [--pool NAME]]</c>: the seed's "View Key Statuses", why a key is
/// not being used, and, with <c>--redis</c>, the shared state every process of a Redis-backed pool sees.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var key = new Argument<string?>("key")
        {
            Description = "One key: its number, id or last characters (default: every key).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var why = new Option<bool>("--why") { Description = "Say why each key is (not) being used and when it comes back." };
        var redis = new Option<string?>("--redis")
        {
            Description = "Show the state in Redis (a StackExchange.Redis connection string, e.g. localhost:6379) instead of the local states file.",
            HelpName = "CONNECTION",
        };
        var pool = new Option<string>("--pool")
        {
            Description = "The Redis pool's name (with --redis).",
            HelpName = "NAME",
            DefaultValueFactory = _ => "default",
        };
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show each key's failures, block and last failure (the seed's statuses); --redis for a shared pool.")
        {
            key,
            why,
            redis,
            pool,
            json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(pool) is { Implicit: false } && result.GetValue(redis) is null)
            {
                result.AddError("--pool needs --redis");
            }
        });
        command.SetAction(parse =>
        {
            var statuses = parse.GetValue(redis) is { } connection
                ? ReadRedis(context, connection, parse.GetValue(pool)!, parse.GetValue(key))
                : ReadLocal(context, parse.GetValue(key));
            Write(context, statuses, parse.GetValue(json), parse.GetValue(why));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CliContext context, IReadOnlyList<KeyStatus> statuses, bool json, bool why)
    {
        if (json)
        {
            JsonOutput.Write(context, writer =>
            {
                writer.WriteStartArray();
                foreach (var status in statuses)
                {
                    JsonOutput.WriteStatus(writer, status);
                }

                writer.WriteEndArray();
            });
            return;
        }

        if (statuses.Count == 0)
        {
            context.Out.WriteLine("No API keys stored.");
        }

        foreach (var status in statuses)
        {
            KeyText.WriteStatus(context, status, why);
        }
    }

    private static IReadOnlyList<KeyStatus> ReadLocal(CliContext context, string? selector)
    {
        using var manager = context.Stores.Open();
        return selector is not null ? [KeySelector.Resolve(manager, selector)] : manager.GetStatuses();
    }

    /// <summary>
    /// Statuses from Redis: the local store's keys (when there is one) are passed so they show masks, labels and
    /// projects first, in the store's order; keys only Redis knows show their ids.
    /// </summary>
    private static IReadOnlyList<KeyStatus> ReadRedis(CliContext context, string connection, string poolName, string? selector)
    {
        // The password is masked wherever it would be shown: this command's messages, the client's, a --verbose stack trace.
        foreach (var secret in ConnectionSecrets.Find(connection))
        {
            context.Hide(secret);
        }

        if (connection.Contains("://", StringComparison.Ordinal))
        {
            throw CliException.Usage(
                $"--redis takes a StackExchange.Redis connection string, not a URL ({connection}): write host:port, with ,password=... (and ,user=..., ,ssl=true) when Redis needs them");
        }

        using var manager = File.Exists(Path.Combine(context.StoreDirectory, JsonKeyStore.KeysFileName)) ? context.Stores.Open() : null;
        string? id = null;
        if (selector is not null)
        {
            id = manager is not null ? KeySelector.Resolve(manager, selector).Id
                : selector.StartsWith("k_", StringComparison.Ordinal) ? selector
                : throw CliException.Usage($"without a local store, name a key of a Redis pool by its id (k_...), not '{selector}'");
        }

        IReadOnlyList<KeyStatus> statuses;
        try
        {
            statuses = RedisPoolStatus.ReadAsync(connection, poolName, manager?.Keys, options: manager?.Options).GetAwaiter().GetResult();
        }
        catch (RedisKeyPoolUnavailableException e)
        {
            throw new CliException($"{e.Message.TrimEnd('.')}; fix: check that Redis runs there and the --redis connection string (host:port, with ,password=... when Redis needs one)", e);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage($"--redis/--pool: {e.Message}");
        }

        if (id is null)
        {
            return statuses;
        }

        var match = statuses.Where(s => s.Id.StartsWith(id, StringComparison.Ordinal)).ToList();
        return match.Count > 0 ? match : throw new CliException($"No key {id} in Redis pool '{poolName}'.");
    }
}
