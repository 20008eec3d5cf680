using System.CommandLine;
using System.Globalization;
using ApiKeys.Redis;
using ApiKeys.Usage;
using ApiKeys.Usage.Aggregates;
using StackExchange.Redis;

namespace ApiKeys.Cli.Commands;

/// <summary>What <c>apikeys usage</c> and <c>apikeys log</c> share: <c>--since</c>, the Redis options, and opening the statistics.</summary>
internal static class UsageArguments
{
    public static Option<string> Since(string defaultValue) => new("--since")
    {
        Description = $"From how long ago: 90m, 24h, 7d, or a date or time (ISO 8601); default {defaultValue}.",
        HelpName = "WHEN",
        DefaultValueFactory = _ => defaultValue,
    };

    public static (Option<string?> Redis, Option<string> Pool) RedisOptions() => (
        new Option<string?>("--redis") { Description = "Read the fleet's aggregates from Redis (a StackExchange.Redis connection string); the request log stays per gateway.", HelpName = "CONNECTION" },
        new Option<string>("--pool") { Description = "The Redis pool's name (with --redis).", HelpName = "NAME", DefaultValueFactory = _ => "default" });

    /// <summary><paramref name="text"/> as a time: a span back from <paramref name="now"/> (<c>90m</c>, <c>24h</c>, <c>7d</c>) or a date or time.</summary>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && text[^1] is 'd' or 'h' or 'm' or 's'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            return now - (text[^1] switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            });
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        throw new CliException($"--since '{text}' is neither a span (90m, 24h, 7d) nor a date or time", ExitCodes.Usage);
    }

    /// <summary>Runs <paramref name="action"/> on the store directory's statistics (aggregates from Redis with <paramref name="redis"/>), turning expected failures into one line.</summary>
    public static T Read<T>(CliContext context, string? redis, string pool, Func<UsageReader, T> action)
    {
        ConnectionMultiplexer? connection = null;
        try
        {
            IHourlyAggregates? aggregates = null;
            if (redis is not null)
            {
                connection = RedisKeyPool.ConnectMultiplexer(redis);
                aggregates = new RedisUsageAggregates(connection, pool);
            }

            using var reader = new UsageReader(context.StoreDirectory, aggregates);
            return action(reader);
        }
        catch (UsageStoreException e)
        {
            throw new CliException(e.Message.TrimEnd('.'), e);
        }
        catch (RedisException e)
        {
            throw new CliException($"Redis: {e.Message.TrimEnd('.')}; fix: check that Redis runs there and the --redis connection string", e);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
