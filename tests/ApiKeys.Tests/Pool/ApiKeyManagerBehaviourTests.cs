using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Behaviour;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Tests.Pool;

/// <summary>The shared behaviour suite on <see cref="ApiKeyManager"/> (memory store, fake clock): every case runs.</summary>
[Collection(Collection)]
public sealed class ApiKeyManagerBehaviourTests : KeyPoolBehaviourTests
{
    private readonly FakeTimeProvider _time = Pools.Clock();

    protected override DateTimeOffset Now => _time.GetUtcNow();

    protected override IKeyPool Create(IReadOnlyList<ApiKey> keys, ApiKeyManagerOptions options) =>
        new ApiKeyManager(new MemoryKeyStore(keys), options, Logger<ApiKeyManager>(), _time, new Random(42));

    protected override void Report(IKeyPool pool, string keyId, KeyOutcome outcome) =>
        Assert.True(((ApiKeyManager)pool).Report(keyId, outcome));

    protected override void Advance(TimeSpan by) => _time.Advance(by);
}
