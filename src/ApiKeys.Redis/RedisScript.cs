using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>
/// A Lua script run by its SHA1 (<c>EVALSHA</c>: 40 bytes on the wire instead of the script), sent whole (<c>EVAL</c>, which
/// also loads it) only when the server answers <c>NOSCRIPT</c>: after a restart, a failover or a <c>SCRIPT FLUSH</c>.
/// </summary>
/// <remarks>
/// <c>NOSCRIPT</c> means the script did not run, so the fallback never runs it twice; and <c>EVAL</c> needs no cache, so a
/// flush between the two commands cannot fail the call. The hash goes through <c>ScriptEvaluate(byte[])</c> and the text with
/// <see cref="CommandFlags.NoScriptCache"/> (a plain EVAL): StackExchange.Redis 2.13's own script cache (string scripts)
/// sometimes surfaced NOSCRIPT or answered null under a concurrent <c>SCRIPT FLUSH</c>, and so did <c>Execute("EVALSHA")</c>
/// (a null answer, about one run in three of <c>RedisScriptTests</c>' flush test); these two calls never did.
/// </remarks>
internal sealed class RedisScript
{
    private readonly byte[] _sha1;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do not use weak cryptographic algorithms",
        Justification = "Redis names scripts by SHA1; it protects nothing here.")]
    public RedisScript(string text)
    {
        Text = text;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    public string Text { get; }

    /// <summary>The script's SHA1, lowercase hex (what <c>SCRIPT LOAD</c> returns).</summary>
    public string Sha1 => Convert.ToHexStringLower(_sha1);

    public RedisResult Evaluate(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return db.ScriptEvaluate(_sha1, keys, args);
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            // NoScriptCache: EVAL with the text itself, not the client's own SCRIPT LOAD + EVALSHA (which a flush can defeat again).
            return db.ScriptEvaluate(Text, keys, args, CommandFlags.NoScriptCache);
        }
    }

    /// <summary>Sends the script whole (<c>EVAL</c>): an answer of the wrong shape is asked again this way, past any cache.</summary>
    public RedisResult EvaluateWhole(IDatabase db, RedisKey[] keys, RedisValue[] args) =>
        db.ScriptEvaluate(Text, keys, args, CommandFlags.NoScriptCache);

    public async Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(_sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            return await db.ScriptEvaluateAsync(Text, keys, args, CommandFlags.NoScriptCache).ConfigureAwait(false);
        }
    }

    internal static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}
