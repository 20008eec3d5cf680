namespace ApiKeys.Redis;

/// <summary>Redis cannot be reached (or answered with an error), and the pool is not set to fall back to local state.</summary>
/// <remarks>The message names the server and the pool, never a key or a password.</remarks>
public sealed class RedisKeyPoolUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public RedisKeyPoolUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisKeyPoolUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the Redis error.</summary>
    public RedisKeyPoolUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why, for logs: the Redis error's type, or what the pool saw ("not connected", "no answer").</summary>
    internal string Reason => InnerException?.GetType().Name ?? (Data["reason"] as string) ?? "not connected";
}
