using ApiKeys.Gateway.Hosting;
using ApiKeys.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: it can serve: the store is readable, a key is usable, the client
/// tokens can be read, and Redis answers when configured (503 with the failing check otherwise). No token needed; no secret in them.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n"));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<ReadinessReport>, JsonHttpResult<ReadinessReport>>> ReadyAsync(GatewayBackend backend, Usage.GatewayUsage usage,
        CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["store"] = Store(backend.Directory),
            ["keys"] = Keys(backend.Pool),
            ["tokens"] = await TokensAsync(backend, cancellationToken).ConfigureAwait(false),
        };
        if (backend.Redis is { } redis)
        {
            checks["redis"] = await RedisAsync(redis).ConfigureAwait(false);
        }

        // Usage statistics that cannot be written degrade the gateway, they do not stop it: requests are served all the same.
        checks["usage"] = usage.Store.Status;
        bool ready = checks.Where(c => c.Key != "usage").All(c => c.Value.StartsWith("ok", StringComparison.Ordinal));
        var report = new ReadinessReport(ready, checks);
        return ready ? TypedResults.Ok(report) : TypedResults.Json(report, GatewayJsonContext.Default.ReadinessReport, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string Store(string directory)
    {
        string path = Path.Combine(directory, JsonKeyStore.KeysFileName);
        try
        {
            using var file = File.OpenRead(path);
            return "ok";
        }
        catch (FileNotFoundException)
        {
            return $"no keys file in {directory} (apikeys add)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {path}: {e.GetType().Name}";
        }
    }

    private static string Keys(IKeyPool pool)
    {
        try
        {
            var statuses = pool.GetStatuses();
            int usable = statuses.Count(s => s.IsUsable);
            return usable > 0 ? $"ok: {usable} of {statuses.Count} usable" : $"no usable key ({statuses.Count} in the pool)";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"cannot read the pool: {pool.Redactor.Redact(e.Message)}";
        }
    }

    private static async Task<string> TokensAsync(GatewayBackend backend, CancellationToken cancellationToken)
    {
        try
        {
            await backend.Tokens.CheckAsync(cancellationToken).ConfigureAwait(false);
            return "ok";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or RedisException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static async Task<string> RedisAsync(IConnectionMultiplexer redis)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            return $"ok: {latency.TotalMilliseconds:0.0} ms";
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return $"unreachable: {e.GetType().Name}";
        }
    }
}
