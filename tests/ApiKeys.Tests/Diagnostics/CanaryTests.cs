using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ApiKeys.Tests.Diagnostics;

/// <summary>A canary key never appears in a log line, an exception, a ToString(), an event or the states file.</summary>
public class CanaryTests
{
    [Fact]
    public void EveryFailureKind_CanaryNeverInLogsExceptionsEventsOrStates()
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        var logger = new FakeLogger<ApiKeyManager>();
        var texts = new List<string>();
        string canary = TestKeys.Gemini(4242);
        string odd = "opaque-secret-of-no-known-shape-123";
        using (var pool = new ApiKeyManager(new JsonKeyStore(dir.Path, timeProvider: time), Pools.NoJitter(o => o.FailureThreshold = 1), logger, time))
        {
            pool.AddKey(canary, project: "p");
            pool.AddKey(odd, allowGeneric: true);
            pool.KeyChanged += (_, e) => texts.Add(e.ToString() + e.Reason);
            pool.Alert += (_, a) => texts.Add(a.Mask + a.LastError);
            string echo = $"Permission denied: Consumer 'api_key:{canary}' has been suspended. ({odd})";
            KeyFailure[] failures =
            [
                KeyFailure.Unknown(echo), KeyFailure.RateLimited(null, RateLimitScope.Minute, "m", echo), KeyFailure.ModelUnavailable("m", echo),
                KeyFailure.InvalidKey(echo), KeyFailure.Suspended(echo, "projects/1"), KeyFailure.Forbidden(echo), KeyFailure.Forbidden(echo, true, "m"),
                KeyFailure.Billing(echo), KeyFailure.Upstream(echo), KeyFailure.Transport(echo), KeyFailure.BadRequest(echo),
            ];
            foreach (var failure in failures)
            {
                texts.Add(pool.Redactor.Redact(failure.ToString()));
                pool.UpdateKeyStatus(canary, failure, "m");
                pool.UpdateKeyStatus(odd, failure, "m");
                pool.Reset(canary);
                pool.Reset(odd);
            }

            pool.UpdateKeyStatus(canary, KeyFailure.InvalidKey(echo));
            pool.UpdateKeyStatus(odd, KeyFailure.InvalidKey(echo));
            texts.Add(Assert.Throws<NoAvailableKeyException>(() => pool.Acquire()).ToString());
            texts.AddRange(pool.GetStatuses().Select(s => s.ToString() + s.Reason + s.State.LastError + s.State.DisabledReason));
            texts.Add(pool.ToString());
            texts.AddRange(pool.Keys.Select(k => k.ToString()));
            texts.Add(pool.Redactor.Redact(echo));
            pool.Flush();
        }

        texts.AddRange(logger.Collector.GetSnapshot().Select(r => r.Message + r.Exception));
        texts.Add(File.ReadAllText(dir.File("api_key_states.json")));

        Assert.NotEmpty(logger.Collector.GetSnapshot());
        Assert.All(texts, t => Assert.DoesNotContain(canary, t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(odd, t, StringComparison.Ordinal));
    }

    [Fact]
    public void Failure_MessageHoldingKeyFragments_NoFragmentInStatusOrStatesFile()
    {
        using var dir = new TempDirectory();
        string canary = TestKeys.Gemini(4243);
        string odd = "opaque-secret-of-no-known-shape-456";
        string message = $"cut: {canary[..18]}... / tail ...{odd[^14..]} / wrapped {canary[..16]}\n{canary[16..]} / "
            + $"escaped {string.Concat(odd.Select(c => $"\\u{(int)c:x4}"))} / b64 {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(canary))}";
        using (var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock()))
        {
            pool.AddKey(canary);
            pool.AddKey(odd, allowGeneric: true);

            pool.UpdateKeyStatus(canary, KeyFailure.InvalidKey(message));
            pool.UpdateKeyStatus(odd, KeyFailure.Forbidden(message));
            pool.Flush();

            var texts = pool.GetStatuses().Select(s => $"{s.Reason} {s.State.LastError} {s.State.DisabledReason}").ToList();
            texts.Add(File.ReadAllText(dir.File("api_key_states.json")));
            foreach (var secret in new[] { canary, odd })
            {
                for (int i = 0; i + 12 <= secret.Length; i++)
                {
                    Assert.All(texts, t => Assert.DoesNotContain(secret.Substring(i, 12), t, StringComparison.Ordinal));
                }
            }

            Assert.Contains("AIza...4243", texts[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KeyFailure_MessageWithKeyShapedToken_IsRedactedWhenCreated()
    {
        string canary = TestKeys.Gemini(7);

        var failure = KeyFailure.Suspended($"Consumer 'api_key:{canary}' has been suspended.");

        Assert.Equal("Consumer 'api_key:AIza...0007' has been suspended.", failure.Message);
    }

    [Fact]
    public void Logs_SeedStyle_KeyBlockedWithMaskAndUntil()
    {
        var time = Pools.Clock();
        var logger = new FakeLogger<ApiKeyManager>();
        using var pool = new ApiKeyManager(apiKeys: [TestKeys.Gemini(1)], options: Pools.NoJitter(), logger: logger, timeProvider: time);

        for (int i = 0; i < 3; i++)
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        }

        var record = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "KeyBlocked");
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal("Key AIza...0001 blocked until 2026-11-25 12:01:00Z after 3 consecutive failures", record.Message);
    }
}
