using System.Buffers.Binary;
using System.Text;
using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using static ApiKeys.Tests.Security.CryptoTestSupport;

namespace ApiKeys.Tests.Security;

public class PassphraseProtectorTests
{
    private const string Path = "/store/api_keys.json";

    [Fact]
    public void Unprotect_WhatProtectWrote_ReturnsPlaintextAndGeneration()
    {
        using var writer = Protector("correct horse");
        var envelope = writer.Protect(Json("{\"keys\":[]}"), "keys", 7);
        using var reader = Protector("correct horse");

        var (plaintext, generation) = reader.Unprotect(envelope, "keys", Path);

        Assert.Equal("{\"keys\":[]}", Encoding.UTF8.GetString(plaintext));
        Assert.Equal(7, generation);
        Assert.True(EncryptedEnvelopeMagic.IsEnvelope(envelope));
    }

    [Fact]
    public void Protect_SecretPlaintext_EnvelopeHoldsNoTraceOfIt()
    {
        using var protector = Protector("pw");
        string key = TestKeys.Gemini(1);

        var envelope = protector.Protect(Json($"{{\"key\":\"{key}\"}}"), "keys", 1);

        string asText = Encoding.Latin1.GetString(envelope);
        Assert.DoesNotContain("AIzaSyCANARY", asText, StringComparison.Ordinal);
        Assert.DoesNotContain("0001", asText, StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_ManyWrites_FreshNonceEachAndOneKeyDerivation()
    {
        var provider = new CountingProvider("pw");
        using var protector = new PassphraseProtector(provider, Fast);
        var plaintext = Json("{\"same\":true}");

        var envelopes = Enumerable.Range(1, 20).Select(g => protector.Protect(plaintext, "keys", 1)).ToList();

        int headerEnd = envelopes[0].Length - plaintext.Length - 16;
        var nonces = envelopes.Select(e => Convert.ToHexString(e.AsSpan(headerEnd - 12, 12))).ToHashSet();
        Assert.Equal(20, nonces.Count);
        Assert.Equal(20, envelopes.Select(e => Convert.ToHexString(e)).Distinct().Count());
        Assert.Equal(1, protector.KdfRuns);
        Assert.Equal(1, provider.News);
    }

    [Fact]
    public void Unprotect_RepeatedReadsAndWrites_DeriveTheKeyOnce()
    {
        using var writer = Protector("pw");
        var first = writer.Protect(Json("{}"), "keys", 1);
        var provider = new CountingProvider("pw");
        using var store = new PassphraseProtector(provider, Fast);

        store.Unprotect(first, "keys", Path);
        var second = store.Protect(Json("{\"a\":1}"), "keys", 2);
        store.Unprotect(second, "keys", Path);
        var third = store.Protect(Json("{\"a\":2}"), "keys", 3);
        store.Unprotect(third, "keys", Path);

        Assert.Equal(1, store.KdfRuns);
        Assert.Equal(1, provider.Unlocks);
        Assert.Equal(0, provider.News);
    }

    [Fact]
    public void Unprotect_WrongPassphrase_ThrowsDecryptionNamingIt()
    {
        using var writer = Protector("right");
        var envelope = writer.Protect(Json("{}"), "keys", 1);
        using var reader = Protector("wrong");

        var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(envelope, "keys", Path));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("wrong passphrase", e.Message, StringComparison.Ordinal);
        Assert.Equal(Path, e.Path);
        Assert.False(reader.IsUnlocked);
    }

    [Fact]
    public void Unprotect_EverySingleBitFlip_IsRejected()
    {
        using var writer = Protector("pw");
        var plaintext = Json($"{{\"format\":\"apikeys/1\",\"generation\":1,\"keys\":[{{\"key\":\"{TestKeys.Gemini(3)}\"}}]}}");
        var envelope = writer.Protect(plaintext, "keys", 1);
        using var reader = Protector("pw");
        reader.Unprotect(envelope, "keys", Path);
        int accepted = 0;
        var wrongKinds = new List<int>();

        for (int bit = 0; bit < envelope.Length * 8; bit++)
        {
            var flipped = (byte[])envelope.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                reader.Unprotect(flipped, "keys", Path);
                accepted++;
            }
            catch (KeyStoreException e) when (e.Kind != KeyStoreErrorKind.Decryption)
            {
                wrongKinds.Add(bit);
            }
            catch (KeyStoreException)
            {
            }
        }

        Assert.Equal(0, accepted);
        Assert.Empty(wrongKinds);
        Assert.Equal(plaintext, reader.Unprotect(envelope, "keys", Path).Plaintext);
        // The key is derived again only when a flip lands in the iterations or the salt (at most 32 + 128 flips).
        Assert.InRange(reader.KdfRuns, 1, 1 + 32 + 128);
    }

    [Fact]
    public void Unprotect_UnknownVersion_ThrowsNamingTheVersion()
    {
        using var writer = Protector("pw");
        var envelope = writer.Protect(Json("{}"), "keys", 1);
        envelope[8] = 2;
        var provider = new CountingProvider("pw");
        using var reader = new PassphraseProtector(provider, Fast);

        var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(envelope, "keys", Path));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("unknown envelope version 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Unlocks);
    }

    [Fact]
    public void Unprotect_IterationsAboveCeiling_RejectedBeforeAnyKeyDerivation()
    {
        using var writer = Protector("pw");
        var envelope = writer.Protect(Json("{}"), "keys", 1);
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(10), uint.MaxValue);
        var provider = new CountingProvider("pw");
        using var reader = new PassphraseProtector(provider);

        var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(envelope, "keys", Path));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("outside the 600000 to 10000000", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Unlocks);
        Assert.Equal(0, reader.KdfRuns);
    }

    [Fact]
    public void Unprotect_IterationsBelowFloor_Rejected()
    {
        using var writer = Protector("pw");
        var weak = writer.Protect(Json("{}"), "keys", 1);
        var provider = new CountingProvider("pw");
        using var reader = new PassphraseProtector(provider);

        var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(weak, "keys", Path));

        Assert.Contains($"asks for {FastIterations} PBKDF2 iterations", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Unlocks);
    }

    [Fact]
    public void Options_Defaults_MeetOwaspMinimumAndAreWrittenToTheHeader()
    {
        var options = new PassphraseProtectorOptions();
        using var protector = new PassphraseProtector("pw", options);

        var envelope = protector.Protect(Json("{}"), "keys", 1);

        Assert.True(options.Iterations >= 600_000);
        Assert.True(options.MinIterations >= 600_000);
        Assert.Equal(10_000_000, options.MaxIterations);
        Assert.Equal(1, envelope[9]);
        Assert.Equal(600_000u, BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(10)));
    }

    [Fact]
    public void Constructor_IterationsBelowFloor_ThrowsNamingOptionAndBounds()
    {
        var options = new PassphraseProtectorOptions { Iterations = 1000 };

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PassphraseProtector("pw", options));

        Assert.Equal("Property Iterations: must be between MinIterations (600000) and MaxIterations (10000000); it is 1000.", Assert.Single(e.Failures));
    }

    [Fact]
    public void Constructor_MinIterationsZero_ThrowsNamingOptionAndRange()
    {
        var options = new PassphraseProtectorOptions { Iterations = 1, MinIterations = 0 };

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PassphraseProtector("pw", options));

        Assert.Contains(e.Failures, f => f.Contains("MinIterations", StringComparison.Ordinal) && f.Contains("between 1 and 2147483647", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_MaxBelowMin_ThrowsNamingMaxIterations()
    {
        var options = new PassphraseProtectorOptions { Iterations = 1000, MinIterations = 1000, MaxIterations = 999 };

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PassphraseProtector("pw", options));

        Assert.Equal("Property MaxIterations: must be at least MinIterations (1000); it is 999.", Assert.Single(e.Failures));
    }

    [Fact]
    public void Unprotect_OtherRole_ThrowsSwapped()
    {
        using var writer = Protector("pw");
        var backup = writer.Protect(Json("{}"), "backup", 5);
        using var reader = Protector("pw");

        var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(backup, "keys", Path));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("'backup' file, not a 'keys' file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_OlderGenerationThanSeen_ThrowsReplay()
    {
        using var protector = Protector("pw");
        var old = protector.Protect(Json("{\"v\":1}"), "keys", 1);
        protector.Unprotect(old, "keys", Path);
        var current = protector.Protect(Json("{\"v\":2}"), "keys", 2);
        protector.Unprotect(current, "keys", Path);

        var e = Assert.Throws<KeyStoreException>(() => protector.Unprotect(old, "keys", Path));

        Assert.Contains("generation 1 is older than generation 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_OlderGenerationOfAnotherFile_Accepted()
    {
        using var protector = Protector("pw");
        var newer = protector.Protect(Json("{}"), "backup", 9);
        var older = protector.Protect(Json("{}"), "backup", 3);
        protector.Unprotect(newer, "backup", "/backups/a.json");

        var (_, generation) = protector.Unprotect(older, "backup", "/backups/b.json");

        Assert.Equal(3, generation);
    }

    [Fact]
    public void ChangePassphrase_AfterUnlock_OldPassphraseFailsNewOpens()
    {
        using var writer = Protector("old");
        var before = writer.Protect(Json("{\"k\":1}"), "keys", 1);
        using var owner = Protector("old");
        owner.Unprotect(before, "keys", Path);

        owner.ChangePassphrase(PassphraseProvider.FromValue("new"));
        var after = owner.Protect(Json("{\"k\":1}"), "keys", 2);

        using var withOld = Protector("old");
        Assert.Throws<KeyStoreException>(() => withOld.Unprotect(after, "keys", Path));
        using var withNew = Protector("new");
        Assert.Equal(Json("{\"k\":1}"), withNew.Unprotect(after, "keys", Path).Plaintext);
        Assert.NotEqual(before.AsSpan(22, 16).ToArray(), after.AsSpan(22, 16).ToArray());
    }

    [Fact]
    public void ChangePassphrase_NothingUnlocked_Throws()
    {
        using var protector = Protector("pw");

        Assert.Throws<InvalidOperationException>(() => protector.ChangePassphrase(PassphraseProvider.FromValue("new")));
    }

    [Fact]
    public void Unprotect_NonAsciiPassphraseComposedDifferently_Opens()
    {
        using var writer = Protector("caf\u00e9");
        var envelope = writer.Protect(Json("{}"), "keys", 1);
        using var reader = Protector("cafe\u0301");

        var (plaintext, _) = reader.Unprotect(envelope, "keys", Path);

        Assert.Equal(Json("{}"), plaintext);
    }

    [Fact]
    public void Unprotect_Truncated_ThrowsDecryption()
    {
        using var writer = Protector("pw");
        var envelope = writer.Protect(Json("{}"), "keys", 1);
        using var reader = Protector("pw");

        for (int length = 0; length < envelope.Length; length += 7)
        {
            var e = Assert.Throws<KeyStoreException>(() => reader.Unprotect(envelope.AsSpan(0, length), "keys", Path));
            Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        }
    }

    [Fact]
    public void Dispose_ThenProtect_Throws()
    {
        var protector = Protector("pw");
        protector.Protect(Json("{}"), "keys", 1);

        protector.Dispose();

        Assert.False(protector.IsUnlocked);
        Assert.Throws<ObjectDisposedException>(() => protector.Protect(Json("{}"), "keys", 2));
    }
}
