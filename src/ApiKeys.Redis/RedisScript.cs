using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>A Lua script, always sent whole (EVAL): a restart, a failover or a <c>SCRIPT FLUSH</c> cannot make it unknown.</summary>
/// <remarks>
/// Not the client's EVALSHA of string scripts: under a concurrent <c>SCRIPT FLUSH</c>, StackExchange.Redis 2.13 sometimes
/// surfaced NOSCRIPT, or answered null for a script that had run (a lease counted twice); the fault tests caught both.
/// EVAL costs the script's bytes on the wire (about 2 KB) and a SHA1 on the server, measured in docs/benchmarks.md.
/// </remarks>
internal sealed class RedisScript(string text)
{
    public string Text { get; } = text;

    public RedisResult Evaluate(IDatabase db, RedisKey[] keys, RedisValue[] args) => db.Execute("EVAL", EvalArgs(keys, args));

    public Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] args) => db.ExecuteAsync("EVAL", EvalArgs(keys, args));

    // RedisKey arguments of Execute are routed as keys, so a cluster sends the EVAL to the pool's slot.
    private object[] EvalArgs(RedisKey[] keys, RedisValue[] args)
    {
        var all = new object[2 + keys.Length + args.Length];
        all[0] = Text;
        all[1] = keys.Length;
        keys.CopyTo(all, 2);
        for (int i = 0; i < args.Length; i++)
        {
            all[2 + keys.Length + i] = args[i];
        }

        return all;
    }
}
