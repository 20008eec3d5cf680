using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>
/// The first states write of a store (no states file yet, the seed's files, a file without an epoch) is a migration,
/// not a rotation: outcomes reported while it is in progress, in this process or in another, are all kept.
/// </summary>
public class FirstWriteTests
{
    public enum Start
    {
        NoStatesFile,
        SeedFiles,
        StatesWithoutEpoch,
    }

    [Theory]
    [InlineData(Start.NoStatesFile)]
    [InlineData(Start.SeedFiles)]
    [InlineData(Start.StatesWithoutEpoch)]
    public void Report_DuringTheFirstStatesWrite_CountedInMemoryAndOnDisk(Start start)
    {
        using var dir = new TempDirectory();
        Prepare(start, dir);
        var store = new InterposedStore(new JsonKeyStore(dir.Path, timeProvider: Pools.Clock()));
        using (var pool = new ApiKeyManager(store, Pools.NoJitter(), timeProvider: Pools.Clock()))
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
            store.OnNextSync(() => pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true));

            pool.Flush();
            pool.Flush();

            Assert.Equal(2, pool.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
        }

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(2, reopened.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
    }

    [Theory]
    [InlineData(Start.NoStatesFile)]
    [InlineData(Start.SeedFiles)]
    [InlineData(Start.StatesWithoutEpoch)]
    public void Report_WhileAnotherProcessWritesFirst_KeepsUnsavedOutcomes(Start start)
    {
        using var dir = new TempDirectory();
        Prepare(start, dir);
        using var first = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        using var second = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        second.UpdateKeyStatus(TestKeys.Gemini(2), success: false);
        first.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
        first.Flush();

        second.UpdateKeyStatus(TestKeys.Gemini(2), success: false);
        second.Flush();

        Assert.Equal(2, second.GetStatus(TestKeys.Gemini(2))!.State.TotalFailures);
        Assert.Equal(1, second.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(2, reopened.GetStatus(TestKeys.Gemini(2))!.State.TotalFailures);
        Assert.Equal(1, reopened.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
    }

    [Fact]
    public void ReplaceKeys_InAnotherProcess_StillDropsTheOldStates()
    {
        using var dir = new TempDirectory();
        Prepare(Start.NoStatesFile, dir);
        using var first = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        using var second = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: Pools.Clock());
        second.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        second.Flush();
        second.UpdateKeyStatus(TestKeys.Gemini(1), success: false);

        first.ReplaceKeys([TestKeys.Gemini(1), TestKeys.Gemini(9)]);
        second.Flush();

        Assert.Equal(0, second.GetStatus(TestKeys.Gemini(1))!.State.TotalFailures);
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(0, reopened.GetStatus(TestKeys.Gemini(1))!.State.TotalFailures);
        Assert.Equal(2, reopened.Count);
    }

    private static void Prepare(Start start, TempDirectory dir)
    {
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\", \"{TestKeys.Gemini(2)}\"]");
        switch (start)
        {
            case Start.SeedFiles:
                File.WriteAllText(dir.File(JsonKeyStore.StatesFileName),
                    $"{{\"{TestKeys.Gemini(2)}\": {{\"blocked_until\": 0, \"failures\": 1, \"last_failed\": 1700000000}}}}");
                break;
            case Start.StatesWithoutEpoch:
                File.WriteAllText(dir.File(JsonKeyStore.StatesFileName),
                    $"{{\"format\": \"apikeys-states/1\", \"generation\": 2, \"states\": {{\"{Keys.KeyIds.For(TestKeys.Gemini(2))}\": {{\"failures\": 1}}}}}}");
                break;
        }
    }
}
