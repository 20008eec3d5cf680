using ApiKeys.Http.Tests.Support;
using ApiKeys.Http.Validation;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests.Validation;

public class KeyValidatorTests
{
    [Fact]
    public async Task ValidateAsync_MixedKeys_ListCallsOnlyAndStatesUpdated()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 3);
        h.Server.Script(h.Keys[1], FakeReply.Error("400-api-key-invalid"));
        h.Server.Script(h.Keys[2], FakeReply.Error("403-consumer-suspended"));
        using var http = new HttpClient();
        using var validator = new KeyValidator(http);
        var progress = new List<KeyValidationResult>();

        var results = await validator.ValidateAsync(h.Pool, baseUrl: h.Server.BaseAddress, progress: new SyncProgress(progress));

        Assert.Equal([KeyValidationOutcome.Valid, KeyValidationOutcome.Invalid, KeyValidationOutcome.Suspended], results.Select(r => r.Outcome));
        Assert.Equal(results, progress);
        Assert.All(h.Server.Requests, r => Assert.Equal(("GET", "/v1beta/models"), (r.Method, r.Path)));
        Assert.True(h.Status(0).IsUsable);
        Assert.Equal(FailureKind.InvalidKey, h.Status(1).State.DisabledKind);
        Assert.Equal(FailureKind.Suspended, h.Status(2).State.DisabledKind);
        Assert.Equal(403, results[2].StatusCode);
        Assert.Equal(h.Status(2).Mask, results[2].Mask);
        h.AssertNoSecretsLeaked(string.Join(' ', results.Select(r => r.Message)));
    }

    [Fact]
    public async Task ValidateAsync_DisabledKeyNowValid_UsableAgain()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        h.Server.Script(h.Keys[0], FakeReply.Error("400-api-key-invalid"));
        using (await h.GenerateAsync())
        {
        }

        Assert.Equal(KeyAvailability.Disabled, h.Status(0).Availability);
        using var validator = new KeyValidator();

        var results = await validator.ValidateAsync(h.Pool, [h.Status(0).Id], h.Server.BaseAddress);

        Assert.True(Assert.Single(results).IsValid);
        Assert.True(h.Status(0).IsUsable);
    }

    [Fact]
    public async Task ValidateAsync_ServerDropsConnection_UnreachableAndStateUnchanged()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        h.Server.Script(h.Keys[0], FakeReply.Drop());
        using var validator = new KeyValidator();

        var result = Assert.Single(await validator.ValidateAsync(h.Pool, baseUrl: h.Server.BaseAddress));

        Assert.Equal(KeyValidationOutcome.Unreachable, result.Outcome);
        Assert.Equal(0, h.Status(0).State.TotalFailures);
    }

    [Fact]
    public async Task ValidateAsync_UnknownId_NotFound()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        using var validator = new KeyValidator();

        var result = Assert.Single(await validator.ValidateAsync(h.Pool, ["k_000000000000"], h.Server.BaseAddress));

        Assert.Equal(KeyValidationOutcome.NotFound, result.Outcome);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task ValidateKeyAsync_KeyOutsidePool_ValidatedWithoutState()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        using var validator = new KeyValidator();

        var result = await validator.ValidateKeyAsync(TestKeys.Gemini(99), h.Server.BaseAddress);

        Assert.True(result.IsValid);
        Assert.Equal("AIza...0099", result.Mask);
    }

    private sealed class SyncProgress(List<KeyValidationResult> sink) : IProgress<KeyValidationResult>
    {
        public void Report(KeyValidationResult value) => sink.Add(value);
    }
}
