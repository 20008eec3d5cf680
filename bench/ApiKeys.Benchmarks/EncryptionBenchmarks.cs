using System.Globalization;
using System.Security.Cryptography;
using ApiKeys.Security;
using ApiKeys.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace ApiKeys.Benchmarks;

/// <summary>
/// What encryption at rest costs: opening a 100-key store (one PBKDF2 run of 600,000 iterations, then one AES-GCM
/// decryption) against a plain one, and acquire + report on an open pool (encryption touches only the keys file, so it
/// should cost nothing there).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet calls [GlobalCleanup], which disposes the pools.")]
public class EncryptionBenchmarks
{
    private const int KeyCount = 100;
    private static readonly IPassphraseProvider Passphrase = PassphraseProvider.FromValue("benchmark passphrase");
    private string _root = "";
    private string _plainDir = "";
    private string _encryptedDir = "";
    private ApiKeyManager? _plain;
    private ApiKeyManager? _encrypted;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "apikeys-bench", Guid.NewGuid().ToString("N"));
        _plainDir = Path.Combine(_root, "plain");
        _encryptedDir = Path.Combine(_root, "encrypted");
        Fill(_plainDir);
        Fill(_encryptedDir);
        EncryptedStore.Encrypt(_encryptedDir, Passphrase);
        _plain = new ApiKeyManager(new JsonKeyStore(_plainDir));
        _encrypted = EncryptedStore.Open(_encryptedDir, Passphrase);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain?.Dispose();
        _encrypted?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Open")]
    public int OpenPlain()
    {
        using var manager = new ApiKeyManager(new JsonKeyStore(_plainDir));
        return manager.Count;
    }

    [Benchmark]
    [BenchmarkCategory("Open")]
    public int OpenEncrypted()
    {
        using var manager = EncryptedStore.Open(_encryptedDir, Passphrase);
        return manager.Count;
    }

    /// <summary>The key derivation alone, for comparison with <see cref="OpenEncrypted"/>.</summary>
    [Benchmark]
    [BenchmarkCategory("Open")]
    public byte[] Pbkdf2Only() =>
        Rfc2898DeriveBytes.Pbkdf2("benchmark passphrase"u8, new byte[16], PassphraseProtectorOptions.OwaspMinimumIterations, HashAlgorithmName.SHA256, 32);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AcquireReport")]
    public void AcquireReportPlain()
    {
        using var lease = _plain!.Acquire();
        lease.Succeeded();
    }

    [Benchmark]
    [BenchmarkCategory("AcquireReport")]
    public void AcquireReportEncrypted()
    {
        using var lease = _encrypted!.Acquire();
        lease.Succeeded();
    }

    private static void Fill(string directory)
    {
        using var manager = new ApiKeyManager(new JsonKeyStore(directory));
        manager.ReplaceKeys(Enumerable.Range(0, KeyCount).Select(i => "AIzaSyBENCH" + i.ToString("D28", CultureInfo.InvariantCulture)));
    }
}
