using System.Text.Json;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>A removed key's state goes with it: from memory, from the states file, in every process.</summary>
public class RemovedKeyStateTests
{
    [Fact]
    public void RemoveThenAddAgain_BlockedKey_ComesBackFresh()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        pool.AddKey(TestKeys.Gemini(1));
        pool.AddKey(TestKeys.Gemini(2));
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        pool.Flush();

        pool.RemoveKey(TestKeys.Gemini(1));
        Assert.DoesNotContain(KeyIds.For(TestKeys.Gemini(1)), StateIds(dir));
        pool.AddKey(TestKeys.Gemini(1));

        var status = pool.GetStatus(TestKeys.Gemini(1))!;
        Assert.True(status.IsUsable);
        Assert.Equal(0, status.State.TotalFailures);
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.True(reopened.GetStatus(TestKeys.Gemini(1))!.IsUsable);
    }

    [Fact]
    public void Remove_InAnotherProcess_ItsUnsavedStateIsNotWrittenBack()
    {
        using var dir = new TempDirectory();
        using var first = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        first.AddKey(TestKeys.Gemini(1));
        first.AddKey(TestKeys.Gemini(2));
        using var second = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        second.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        second.UpdateKeyStatus(TestKeys.Gemini(2), success: true);

        first.RemoveKey(TestKeys.Gemini(1));
        second.Flush();

        Assert.Equal([KeyIds.For(TestKeys.Gemini(2))], StateIds(dir));
        Assert.Null(second.GetStatus(TestKeys.Gemini(1)));
        first.AddKey(TestKeys.Gemini(1));
        first.Flush();
        Assert.True(first.GetStatus(TestKeys.Gemini(1))!.IsUsable);
    }

    [Fact]
    public void AddRemoveCycles_StatesFileHoldsOnlyKeysOfThePool()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        pool.AddKey(TestKeys.Gemini(0));
        for (int i = 1; i <= 30; i++)
        {
            pool.AddKey(TestKeys.Gemini(i));
            pool.UpdateKeyStatus(TestKeys.Gemini(i), success: false);
            pool.Flush();
            pool.RemoveKey(TestKeys.Gemini(i));
        }

        pool.UpdateKeyStatus(TestKeys.Gemini(0), success: true);
        pool.Flush();

        Assert.Equal([KeyIds.For(TestKeys.Gemini(0))], StateIds(dir));
    }

    [Fact]
    public void StatesOfKeysNoLongerInTheKeysFile_DroppedAtTheNextWrite()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\"]");
        File.WriteAllText(dir.File(JsonKeyStore.StatesFileName),
            $"{{\"{TestKeys.Gemini(1)}\": {{\"failures\": 1}}, \"{TestKeys.Gemini(8)}\": {{\"failures\": 2}}}}");
        using var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());

        pool.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        pool.Flush();

        Assert.Equal([KeyIds.For(TestKeys.Gemini(1))], StateIds(dir));
        Assert.Equal(2, pool.GetStatus(TestKeys.Gemini(1))!.State.Failures);
    }

    [Fact]
    public void MemoryStore_RemoveThenAddAgain_ComesBackFresh()
    {
        using var pool = new ApiKeyManager(new MemoryKeyStore([new(TestKeys.Gemini(1), Pools.Start)]), Pools.NoJitter(), timeProvider: Pools.Clock());
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        pool.Flush();

        pool.RemoveKey(TestKeys.Gemini(1));
        pool.AddKey(TestKeys.Gemini(1));

        Assert.True(pool.GetStatus(TestKeys.Gemini(1))!.IsUsable);
    }

    private static List<string> StateIds(TempDirectory dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(dir.File(JsonKeyStore.StatesFileName)));
        return [.. doc.RootElement.GetProperty("states").EnumerateObject().Select(p => p.Name)];
    }
}
