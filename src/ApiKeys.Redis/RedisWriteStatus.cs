namespace ApiKeys.Redis;

/// <summary>What became of a write of a key's state.</summary>
internal enum RedisWriteStatus
{
    /// <summary>Written.</summary>
    Applied = 0,

    /// <summary>The lease was already reported (a retried report after a client timeout), or timed out; nothing changed.</summary>
    Duplicate,
}
