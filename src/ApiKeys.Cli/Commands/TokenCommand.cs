using System.CommandLine;
using System.Globalization;
using ApiKeys.Cli.Output;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Redis;
using StackExchange.Redis;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys token create|list|revoke</c>: the gateway's client tokens. <c>create</c> prints the token once on stdout (the
/// store keeps only its HMAC); changes count at once in a running gateway. With <c>--redis</c>, the tokens of a Redis pool.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "Client tokens of the gateway (apikeys serve): create (shown once), list, revoke.");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(RevokeCommand(context));
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The token's name (letters, digits, '.', '_', '-'); it shows in the gateway's logs.", HelpName = "NAME", Required = true };
        var models = new Option<string[]>("--models", "--model")
        {
            Description = "The models it may use (comma-separated or repeated; a prefix ending in '*' matches many); default: every model.",
            HelpName = "MODELS",
            AllowMultipleArgumentsPerToken = true,
        };
        var rpm = new Option<int?>("--rpm") { Description = "At most this many requests per minute.", HelpName = "N" };
        var rpd = new Option<int?>("--rpd") { Description = "At most this many requests per day.", HelpName = "N" };
        var concurrency = new Option<int?>("--concurrency") { Description = "At most this many requests in flight at once.", HelpName = "N" };
        var expires = new Option<string?>("--expires") { Description = "When it stops working: a date (2026-12-31), a time (ISO 8601) or a span (30d, 12h).", HelpName = "DATE" };
        var (redis, pool) = RedisOptions();
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts: the token (once) and what the store keeps." };
        var command = new Command("create", "Create a client token and print it once (the store keeps only its HMAC).")
        {
            name, models, rpm, rpd, concurrency, expires, redis, pool, json,
        };
        command.SetAction(parse =>
        {
            var request = new ClientTokenRequest
            {
                Name = parse.GetValue(name)!,
                Models = [.. (parse.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                RequestsPerMinute = parse.GetValue(rpm),
                RequestsPerDay = parse.GetValue(rpd),
                MaxConcurrency = parse.GetValue(concurrency),
                ExpiresAt = parse.GetValue(expires) is { } e ? ParseExpiry(e, context.Time.GetUtcNow()) : null,
            };
            var created = Run(context, parse.GetValue(redis), parse.GetValue(pool)!, store => store.CreateAsync(request).AsTask(), usage: true);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("token", created.Token);
                    WriteToken(writer, created.Details);
                    writer.WriteEndObject();
                });
            }
            else
            {
                context.Error.WriteLine($"Created the client token '{created.Details.Name}'. It is shown once, here; the gateway keeps only its HMAC:");
                context.Out.WriteLine(created.Token);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var (redis, pool) = RedisOptions();
        var json = GlobalOptions.Json();
        var command = new Command("list", "List the client tokens (names and limits; the tokens themselves are not kept).") { redis, pool, json };
        command.SetAction(parse =>
        {
            var tokens = Run(context, parse.GetValue(redis), parse.GetValue(pool)!, store => store.ListAsync().AsTask());
            var now = context.Time.GetUtcNow();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var token in tokens)
                    {
                        writer.WriteStartObject();
                        WriteToken(writer, token);
                        writer.WriteBoolean("expired", token.IsExpired(now));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            if (tokens.Count == 0)
            {
                context.Out.WriteLine("No client tokens. Create one: apikeys token create --name NAME");
            }

            foreach (var token in tokens)
            {
                context.Out.WriteLine(Describe(token, now));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The token's name." };
        var (redis, pool) = RedisOptions();
        var command = new Command("revoke", "Revoke a client token: a running gateway refuses it from its next request on.") { name, redis, pool };
        command.SetAction(parse =>
        {
            string which = parse.GetValue(name)!;
            if (!Run(context, parse.GetValue(redis), parse.GetValue(pool)!, store => store.RevokeAsync(which).AsTask()))
            {
                throw new CliException($"no client token is named '{which}' (apikeys token list)");
            }

            context.Out.WriteLine($"Revoked the client token '{which}'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static (Option<string?> Redis, Option<string> Pool) RedisOptions() => (
        new Option<string?>("--redis") { Description = "The tokens of a Redis-backed gateway (a StackExchange.Redis connection string).", HelpName = "CONNECTION" },
        new Option<string>("--pool") { Description = "The Redis pool's name (with --redis).", HelpName = "NAME", DefaultValueFactory = _ => "default" });

    /// <summary>Runs <paramref name="action"/> on the JSON store's tokens or on Redis's, turning expected failures into one line.</summary>
    private static T Run<T>(CliContext context, string? redis, string pool, Func<IClientTokenStore, Task<T>> action, bool usage = false)
    {
        try
        {
            if (redis is null)
            {
                using var local = new JsonClientTokenStore(context.StoreDirectory, context.Time);
                return action(local).GetAwaiter().GetResult();
            }

            using var connection = RedisKeyPool.ConnectMultiplexer(redis);
            using var shared = new RedisClientTokenStore(connection, pool, timeProvider: context.Time);
            return action(shared).GetAwaiter().GetResult();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message.TrimEnd('.'), usage ? ExitCodes.Usage : ExitCodes.Failure, e);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message.TrimEnd('.'), e);
        }
        catch (RedisException e)
        {
            throw new CliException($"Redis: {e.Message.TrimEnd('.')}; fix: check that Redis runs there and the --redis connection string", e);
        }
    }

    private static void WriteToken(System.Text.Json.Utf8JsonWriter writer, ClientToken token)
    {
        writer.WriteString("name", token.Name);
        if (token.Models is { } models)
        {
            writer.WriteStartArray("models");
            foreach (var m in models)
            {
                writer.WriteStringValue(m);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("models");
        }

        Number(writer, "rpm", token.RequestsPerMinute);
        Number(writer, "rpd", token.RequestsPerDay);
        Number(writer, "concurrency", token.MaxConcurrency);
        writer.WriteString("createdAt", token.CreatedAt);
        if (token.ExpiresAt is { } end)
        {
            writer.WriteString("expiresAt", end);
        }
        else
        {
            writer.WriteNull("expiresAt");
        }
    }

    private static void Number(System.Text.Json.Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Describe(ClientToken token, DateTimeOffset now)
    {
        var parts = new List<string> { token.Models is { } m ? "models " + string.Join(',', m) : "every model" };
        if (token.RequestsPerMinute is { } rpm)
        {
            parts.Add($"{rpm}/min");
        }

        if (token.RequestsPerDay is { } rpd)
        {
            parts.Add($"{rpd}/day");
        }

        if (token.MaxConcurrency is { } c)
        {
            parts.Add($"{c} at once");
        }

        if (token.ExpiresAt is { } end)
        {
            parts.Add(token.IsExpired(now) ? $"EXPIRED {end:u}" : $"expires {end:u}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{token.Name}: {string.Join(", ", parts)} (created {token.CreatedAt:u})");
    }

    /// <summary>A date, an ISO 8601 time, or a span from now (<c>30d</c>, <c>12h</c>, <c>90m</c>).</summary>
    internal static DateTimeOffset ParseExpiry(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && text[^1] is 'd' or 'h' or 'm'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            return now + (text[^1] switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromMinutes(n) });
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            return when;
        }

        throw CliException.Usage($"--expires '{text}' is not a date (2026-12-31), an ISO 8601 time or a span (30d, 12h, 90m)");
    }
}
