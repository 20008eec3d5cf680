using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>
/// The Redis key names of one pool. Every name carries the pool's hash tag (<c>apikeys:{pool}:...</c>), so a pool lives
/// in one cluster slot and every script touches a single node.
/// </summary>
internal sealed class RedisPoolKeys
{
    public RedisPoolKeys(string prefix, string pool)
    {
        Root = $"{prefix}:{{{pool}}}:";
        KeyPrefix = Root + "k:";
        ProjectPrefix = Root + "proj:";
        Ids = Root + "ids";
        Ring = Root + "ring";
        Cool = Root + "cool";
        Leases = Root + "leases";
        Sequence = Root + "seq";
        Late = Root + "late";
        Guard = Root + "guard";
    }

    /// <summary><c>apikeys:{pool}:</c></summary>
    public string Root { get; }

    /// <summary>Prefix of the per-key hashes (<c>json</c>, <c>ver</c>, <c>inflight</c>, <c>where</c>, <c>project</c>, <c>m:&lt;model&gt;</c>).</summary>
    public string KeyPrefix { get; }

    /// <summary>Prefix of the per-project sets of key ids.</summary>
    public string ProjectPrefix { get; }

    /// <summary>Set: every key id any process registered.</summary>
    public RedisKey Ids { get; }

    /// <summary>List: the ids usable key-wide, in round-robin order.</summary>
    public RedisKey Ring { get; }

    /// <summary>Sorted set: the ids cooling key-wide, scored by the end of the cooldown (unix ms, Redis clock).</summary>
    public RedisKey Cool { get; }

    /// <summary>Sorted set: leases in flight (<c>leaseId|keyId</c>), scored by when they are reclaimed.</summary>
    public RedisKey Leases { get; }

    /// <summary>Sorted set: leases that timed out (<c>leaseId|keyId</c>), scored by when, kept for a lease timeout: a late report still counts once.</summary>
    public RedisKey Late { get; }

    /// <summary>
    /// Hash: the environment-fault guard's ends (unix ms, Redis clock): <c>backoff</c>, and <c>t:&lt;kind&gt;</c> per failure kind;
    /// beside them <c>sweep</c>, the earliest time a lease in <see cref="Leases"/> or <see cref="Late"/> can be due (the acquire,
    /// which reads <c>backoff</c> anyway, looks at those sets only from then on).
    /// </summary>
    public RedisKey Guard { get; }

    /// <summary>Sorted set: the guard's recent failures of one kind that took a key out, scored by when.</summary>
    public RedisKey GuardLog(string kind) => Root + "guard:" + kind;

    /// <summary>String: the lease id counter.</summary>
    public RedisKey Sequence { get; }

    public RedisKey Key(string id) => KeyPrefix + id;

    public RedisKey Project(string project) => ProjectPrefix + project;

    /// <summary>A marker that an operation which must not apply twice (a reconciliation) was applied.</summary>
    public RedisKey Operation(string operationId) => Root + "op:" + operationId;

    /// <summary>The entry of a lease in <see cref="Leases"/>.</summary>
    public static string LeaseMember(long leaseId, string id) => leaseId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + id;

    /// <summary>
    /// The set of ids a process holds the secrets of. Named by a digest of the sorted ids, so processes holding the same
    /// keys share one set and a process is only ever handed keys it can use.
    /// </summary>
    public RedisKey Held(IEnumerable<string> ids)
    {
        var joined = string.Join(',', ids.Order(StringComparer.Ordinal));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(joined));
        return Root + "held:" + Convert.ToHexStringLower(digest.AsSpan(0, 8));
    }
}
