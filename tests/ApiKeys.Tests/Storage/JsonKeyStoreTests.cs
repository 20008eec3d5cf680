using System.Text;
using System.Text.Json;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

public class JsonKeyStoreTests
{
    // The seed document's section 5, as it prints the two files.
    private const string SeedKeys = """
        [
          "AIzaSyDmG6cUWjZBIdYI5H1NDqdaYwZjMYmjFYY",
          "AIzaSyCfFOnGjgd-ZXS0VgPQ-wejgWGQTXcMpVw"
        ]
        """;

    private const string SeedStates = """
        {
          "AIzaSyDmG6cUWjZBIdYI5H1NDqdaYwZjMYmjFYY": {
            "blocked_until": 1712345678.9,
            "failures": 2,
            "last_failed": 1712345600.0
          }
        }
        """;

    [Fact]
    public void Load_SeedFiles_ReadsKeysAndStatesExactly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("api_keys.json"), SeedKeys);
        File.WriteAllText(dir.File("api_key_states.json"), SeedStates);

        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        var statuses = pool.GetStatuses();

        Assert.Equal([TestKeys.SeedKey1, TestKeys.SeedKey2], pool.Keys.Select(k => k.Secret));
        Assert.Equal("AIza...jFYY", statuses[0].Mask);
        Assert.Equal(2, statuses[0].State.Failures);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1712345678900), statuses[0].State.BlockedUntil);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1712345600000), statuses[0].State.LastFailed);
        Assert.Equal(0, statuses[1].State.Failures);
        Assert.True(statuses[0].IsUsable, "a 2024 cooldown is long over");
    }

    [Fact]
    public void Flush_AfterSeedFiles_MigratesWithoutLosingAnything()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("api_keys.json"), SeedKeys);
        File.WriteAllText(dir.File("api_key_states.json"), SeedStates);

        using (var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()))
        {
            pool.AddKey(TestKeys.Gemini(7));
            pool.UpdateKeyStatus(TestKeys.SeedKey2, success: true);
            pool.Flush();
        }

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        var statuses = reopened.GetStatuses();
        string states = File.ReadAllText(dir.File("api_key_states.json"));
        Assert.Equal([TestKeys.SeedKey1, TestKeys.SeedKey2, TestKeys.Gemini(7)], reopened.Keys.Select(k => k.Secret));
        Assert.Equal(2, statuses[0].State.Failures);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1712345678900), statuses[0].State.BlockedUntil);
        Assert.Equal(1, statuses[1].State.TotalSuccesses);
        Assert.Contains("\"format\": \"apikeys-states/1\"", states);
        Assert.Contains("\"blocked_until\": 1712345678.9", states);
        Assert.DoesNotContain(TestKeys.SeedKey1, states);
        Assert.DoesNotContain(TestKeys.SeedKey2, states);
        Assert.Contains("\"format\": \"apikeys/1\"", File.ReadAllText(dir.File("api_keys.json")));
    }

    [Fact]
    public void AddKey_OnDiskBeforeReturn_WithFileModes0600()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(Path.Combine(dir.Path, "store"), timeProvider: Pools.Clock());

        var result = pool.AddKey(TestKeys.Gemini(1), label: "main", project: "p1");

        Assert.Equal(AddKeyStatus.Added, result.Status);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "store", "api_keys.json")));
        var key = doc.RootElement.GetProperty("keys")[0];
        Assert.Equal(TestKeys.Gemini(1), key.GetProperty("key").GetString());
        Assert.Equal(result.KeyId, key.GetProperty("id").GetString());
        Assert.Equal("gemini", key.GetProperty("provider").GetString());
        Assert.Equal("p1", key.GetProperty("project").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "store", "api_keys.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dir.Path, "store")));
        }
    }

    [Theory]
    [InlineData("AIzaSyShort", AddKeyStatus.MalformedGemini)]
    [InlineData("has space in it", AddKeyStatus.Malformed)]
    [InlineData("", AddKeyStatus.Malformed)]
    [InlineData("some-opaque-token-1234", AddKeyStatus.UnknownFormat)]
    public void AddKey_BadFormat_RefusedWithReason(string key, AddKeyStatus expected)
    {
        using var pool = new ApiKeyManager(apiKeys: [], timeProvider: Pools.Clock());

        var result = pool.AddKey(key);

        Assert.Equal(expected, result.Status);
        Assert.Equal(0, pool.Count);
    }

    [Theory]
    [InlineData("sk-proj-abcdefghijklmnopqrstuvwxyz012345", Keys.KeyProvider.OpenAI)]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", Keys.KeyProvider.Anthropic)]
    [InlineData("AQ.Ab8RN6abcdefghijklmnopqrstuvwxyz0123456789", Keys.KeyProvider.Gemini)]
    public void AddKey_KnownProviders_Detected(string key, Keys.KeyProvider provider)
    {
        using var pool = new ApiKeyManager(apiKeys: [], timeProvider: Pools.Clock());

        var result = pool.AddKey(key);

        Assert.Equal(AddKeyStatus.Added, result.Status);
        Assert.Equal(provider, result.Provider);
    }

    [Fact]
    public void AddKey_GenericAllowed_AcceptedAsGeneric_DuplicateRefused()
    {
        using var pool = new ApiKeyManager(apiKeys: [], timeProvider: Pools.Clock());

        var first = pool.AddKey("some-opaque-token-1234", allowGeneric: true);
        var again = pool.AddKey("some-opaque-token-1234", allowGeneric: true);

        Assert.Equal(Keys.KeyProvider.Generic, first.Provider);
        Assert.Equal(AddKeyStatus.Duplicate, again.Status);
    }

    [Fact]
    public void ReplaceKeys_SeedRotation_NewSetAndStatesCleared()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        pool.AddKey(TestKeys.Gemini(1));
        pool.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        pool.Flush();

        int count = pool.ReplaceKeys([TestKeys.Gemini(1), TestKeys.Gemini(2)]);
        pool.Flush();

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(2, count);
        Assert.All(reopened.GetStatuses(), s => Assert.Equal(0, s.State.TotalFailures));
        Assert.Equal(2, reopened.Count);
    }

    [Fact]
    public void RemoveKeyDisableEnable_PersistAcrossReopen()
    {
        using var dir = new TempDirectory();
        using (var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()))
        {
            pool.AddKey(TestKeys.Gemini(1));
            pool.AddKey(TestKeys.Gemini(2));
            pool.AddKey(TestKeys.Gemini(3));
            Assert.True(pool.RemoveKey(TestKeys.Gemini(2)));
            Assert.True(pool.Disable(TestKeys.Gemini(3)));
        }

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        var statuses = reopened.GetStatuses();
        Assert.Equal(2, statuses.Count);
        Assert.Equal(KeyAvailability.DisabledByHand, statuses[1].Availability);
        reopened.Enable(statuses[1].Id);
        Assert.True(reopened.GetStatuses()[1].IsUsable);
    }

    [Fact]
    public void KeyChange_OtherKeysUnsavedStates_AreKept()
    {
        using var dir = new TempDirectory();
        using (var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()))
        {
            pool.AddKey(TestKeys.Gemini(1));
            pool.AddKey(TestKeys.Gemini(2));
            pool.UpdateKeyStatus(TestKeys.Gemini(2), success: false);
            pool.UpdateKeyStatus(TestKeys.Gemini(2), KeyFailure.InvalidKey("revoked"));

            pool.Disable(TestKeys.Gemini(1));

            Assert.Equal(1, pool.GetStatus(TestKeys.Gemini(2))!.State.Failures);
            Assert.Equal(KeyAvailability.Disabled, pool.GetStatus(TestKeys.Gemini(2))!.Availability);
        }

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(1, reopened.GetStatus(TestKeys.Gemini(2))!.State.Failures);
        Assert.Equal(2, reopened.GetStatus(TestKeys.Gemini(2))!.State.TotalFailures);
    }

    [Fact]
    public void GivenKeysWithStateDirectory_KeepStatesOnly()
    {
        using var dir = new TempDirectory();
        using (var pool = new ApiKeyManager(apiKeys: [TestKeys.Gemini(1)], stateDirectory: dir.Path, timeProvider: Pools.Clock()))
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        }

        using var again = new ApiKeyManager(apiKeys: [TestKeys.Gemini(1)], stateDirectory: dir.Path, timeProvider: Pools.Clock());

        Assert.Equal(1, again.GetStatuses()[0].State.Failures);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void Merge_TwoManagersOnOneDirectory_CountersAddUpExactly()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1));
        }

        var options = new ApiKeyManagerOptions { FailureThreshold = 1000, AlertAfterConsecutiveFailures = 1000, EnvironmentFaultGuard = false };
        using var a = ApiKeyManager.Open(dir.Path, options);
        using var b = ApiKeyManager.Open(dir.Path, options);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 10; i++)
            {
                a.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
                b.UpdateKeyStatus(TestKeys.Gemini(1), success: i % 2 == 0);
            }

            a.Flush();
            b.Flush();
        }

        a.Flush();
        var state = a.GetStatuses()[0].State;
        Assert.Equal(75, state.TotalSuccesses);
        Assert.Equal(25, state.TotalFailures);
    }

    [Fact]
    public void Cooldown_WrittenByOneProcess_SeenByAnotherAfterSync()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1));
            setup.AddKey(TestKeys.Gemini(2));
        }

        using var a = ApiKeyManager.Open(dir.Path);
        using var b = ApiKeyManager.Open(dir.Path);
        a.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        a.Flush();
        b.Flush();

        Assert.Equal(KeyAvailability.Disabled, b.GetStatus(TestKeys.Gemini(1))!.Availability);
        Assert.Equal(TestKeys.Gemini(2), b.GetAvailableKey());
        Assert.Equal(TestKeys.Gemini(2), b.GetAvailableKey());
    }

    [Fact]
    public async Task AcquireAsync_KeyResetByAnotherProcess_WakesOnSync()
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        using (var setup = ApiKeyManager.Open(dir.Path, timeProvider: time))
        {
            setup.AddKey(TestKeys.Gemini(1));
        }

        using var a = ApiKeyManager.Open(dir.Path, timeProvider: time);
        using var b = ApiKeyManager.Open(dir.Path, timeProvider: time);
        a.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.RateLimited(null, RateLimitScope.Day));
        a.Flush();
        b.Flush();
        var waiting = a.AcquireAsync();

        b.Reset(TestKeys.Gemini(1));
        b.Flush();
        a.Flush();

        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TestKeys.Gemini(1), lease.Key);
    }

    [Fact]
    public void SyncLoop_OtherProcessesChange_PickedUpWithinTheSyncInterval()
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        using (var setup = ApiKeyManager.Open(dir.Path, timeProvider: time))
        {
            setup.AddKey(TestKeys.Gemini(1));
            setup.AddKey(TestKeys.Gemini(2));
        }

        using var a = ApiKeyManager.Open(dir.Path, timeProvider: time);
        using var b = ApiKeyManager.Open(dir.Path, timeProvider: time);
        a.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        a.Flush();

        // No Flush on b: its background loop, timed by the (fake) clock, must read the change by itself. The loop
        // runs on the thread pool, so each look moves the clock one interval on (its timer may start late).
        int intervals = 0;
        bool seen = SpinWait.SpinUntil(() =>
        {
            time.Advance(b.Options.SyncInterval);
            intervals++;
            return b.GetStatus(TestKeys.Gemini(1))!.Availability == KeyAvailability.Disabled;
        }, TimeSpan.FromSeconds(30));

        Assert.True(seen, "b did not pick up a's change after one sync interval");
    }

    [Fact]
    public void AddKey_ByAnotherProcess_PickedUpOnSync()
    {
        using var dir = new TempDirectory();
        using var a = ApiKeyManager.Open(dir.Path);
        using var b = ApiKeyManager.Open(dir.Path);

        a.AddKey(TestKeys.Gemini(1));
        b.AddKey(TestKeys.Gemini(2));
        a.Flush();

        Assert.Equal(2, a.Count);
        Assert.Equal(2, b.Count);
    }

    [Fact]
    public void Flush_UnwritableStatesPath_TypedErrorPoolKeepsWorking_RetriesLater()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<ApiKeyManager>();
        using var pool = new ApiKeyManager(new JsonKeyStore(store), logger: logger);
        pool.AddKey(TestKeys.Gemini(1));
        Directory.CreateDirectory(Path.Combine(store, "api_key_states.json"));

        pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
        var e = Assert.Throws<KeyStoreException>(() => pool.Flush());

        Assert.Contains("api_key_states.json", e.Message);
        Assert.Equal(TestKeys.Gemini(1), pool.GetAvailableKey());
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Message.StartsWith("Failed to save key states", StringComparison.Ordinal));
        Directory.Delete(Path.Combine(store, "api_key_states.json"));
        pool.Flush();
        string written = File.ReadAllText(Path.Combine(store, "api_key_states.json"));
        Assert.True(written.Contains("\"successes\": 1", StringComparison.Ordinal), written);
    }
}
