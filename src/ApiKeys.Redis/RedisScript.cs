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
/// flush between the two commands cannot fail the call. Every call goes through the client's asynchronous API, also when
/// waited for (see <see cref="EvaluateAsync"/>): its synchronous calls answered null, or another call's answer, right after a NOSCRIPT.
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

    /// <summary>
    /// <see cref="EvaluateAsync"/> for a caller that waits: the client's asynchronous call, waited for directly, so the reader
    /// thread that completes it wakes this thread with no thread-pool thread in between (an <c>async</c> method's continuation
    /// would run on one, the client's tasks continuing asynchronously: a third thread and two wake-ups a call).
    /// </summary>
    public RedisResult Evaluate(IDatabase db, RedisKey[] keys, RedisValue[] args) => Wait(Start(db, keys, args), db, keys, args);

    /// <summary>
    /// Puts the script on the connection by its SHA1 (written, or queued in order, before this returns) and returns the client's
    /// task; <see cref="Wait"/> or <see cref="WaitAsync"/> then take its answer. Never throws: a failure is the task's.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "The failure is handed back in the task, where the caller's waiting sorts it out.")]
    public Task<RedisResult> Start(IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return db.ScriptEvaluateAsync(_sha1, keys, args);
        }
        catch (Exception e)
        {
            return Task.FromException<RedisResult>(e);
        }
    }

    /// <summary>The answer of a call <see cref="Start"/>ed, waited for on this thread; the script sent whole on <c>NOSCRIPT</c>.</summary>
    public RedisResult Wait(Task<RedisResult> started, IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return started.GetAwaiter().GetResult();
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            return EvaluateWholeAsync(db, keys, args).GetAwaiter().GetResult();
        }
    }

    /// <summary>Sends the script whole (<c>EVAL</c>): an answer of the wrong shape is asked again this way, past any cache.</summary>
    public Task<RedisResult> EvaluateWholeAsync(IDatabase db, RedisKey[] keys, RedisValue[] args) =>
        db.ScriptEvaluateAsync(Text, keys, args, CommandFlags.NoScriptCache);

    /// <summary>
    /// Runs the script by its SHA1, sent whole on <c>NOSCRIPT</c>. Synchronous callers wait on this task on purpose:
    /// StackExchange.Redis 2.13's synchronous calls reuse one result box per thread, and a call whose error (here NOSCRIPT)
    /// comes back before the caller starts waiting recycles its box while the reader has yet to signal it; the thread's next
    /// synchronous call then wakes on that signal with no answer (null), or with the answer of the call before (a report's two
    /// elements read as an acquire's four). An asynchronous call has a box of its own, and completes it on the reader's thread
    /// (continuations run asynchronously), so waiting on it needs no thread-pool thread.
    /// </summary>
    public Task<RedisResult> EvaluateAsync(IDatabase db, RedisKey[] keys, RedisValue[] args) => WaitAsync(Start(db, keys, args), db, keys, args);

    /// <summary>The answer of a call <see cref="Start"/>ed, without blocking a thread; the script sent whole on <c>NOSCRIPT</c>.</summary>
    public async Task<RedisResult> WaitAsync(Task<RedisResult> started, IDatabase db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await started.ConfigureAwait(false);
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            return await db.ScriptEvaluateAsync(Text, keys, args, CommandFlags.NoScriptCache).ConfigureAwait(false);
        }
    }

    internal static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}
