using ApiKeys.Pool;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// Every key's status as all processes see it now (this process's keys, in order). Holds no secret. After an outage served
    /// locally, what the fallback counted is merged into Redis first; while it cannot be, the statuses are the local ones.
    /// </summary>
    /// <param name="model">Also say whether each key can serve this model.</param>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable and <see cref="RedisKeyPoolOptions.FallbackToLocal"/> is off.</exception>
    public IReadOnlyList<KeyStatus> GetStatuses(string? model = null)
    {
        model = string.IsNullOrEmpty(model) ? null : model;
        AwaitSends();
        ReconcileBeforeRead();
        if (IsUsingLocalFallback)
        {
            return Local().GetStatuses(model);
        }

        try
        {
            if (!_redis.IsConnected)
            {
                throw Unavailable("status", null);
            }

            return RedisStatusReader.ReadAsync(_redis.GetDatabase(), _names, _keys, includeOthers: false, model, _options.MaxLeasesPerKey, ClockArg())
                .GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsOutage(e) || e is RedisKeyPoolUnavailableException)
        {
            if (_redisOptions.FallbackToLocal)
            {
                return Local().GetStatuses(model);
            }

            throw e as RedisKeyPoolUnavailableException ?? Unavailable("status", e);
        }
    }

    /// <summary>Every key's status, read without blocking a thread.</summary>
    /// <param name="model">Also say whether each key can serve this model.</param>
    /// <param name="includeOthers">Also list ids other processes registered in the pool (shown by id).</param>
    public async Task<IReadOnlyList<KeyStatus>> GetStatusesAsync(string? model = null, bool includeOthers = false)
    {
        await AwaitSendsAsync().ConfigureAwait(false);
        return await RedisStatusReader.ReadAsync(_redis.GetDatabase(), _names, _keys, includeOthers, string.IsNullOrEmpty(model) ? null : model,
            _options.MaxLeasesPerKey, ClockArg()).ConfigureAwait(false);
    }
}
