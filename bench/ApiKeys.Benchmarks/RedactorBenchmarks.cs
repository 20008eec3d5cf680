using System.Text;
using ApiKeys.Security;
using BenchmarkDotNet.Attributes;

namespace ApiKeys.Benchmarks;

/// <summary>
/// The one redactor every error path uses (the handler runs it over every error body it passes on): a Gemini-shaped error
/// body of about 2 KB, with and without a pool key in it, with JSON escapes in it, over 10 and 1,000 pool keys (random
/// Gemini-shaped keys, as real ones are: the digit keys of <see cref="Fakes"/> all share their first 36 characters).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RedactorBenchmarks
{
    private SecretRedactor _redactor = null!;
    private string _clean = null!;
    private string _escaped = null!;
    private string _withKey = null!;

    [Params(10, 1_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        var keys = Enumerable.Range(0, Keys).Select(_ => "AIzaSy" + new string([.. Enumerable.Range(0, 33).Select(_ => Alphabet[random.Next(Alphabet.Length)])])).ToArray();
        _redactor = new SecretRedactor(keys);
        var body = new StringBuilder("{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, please check your plan and billing details.");
        while (body.Length < 2000)
        {
            body.Append(" For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.");
        }

        body.Append("\",\n    \"status\": \"RESOURCE_EXHAUSTED\"\n  }\n}\n");
        _clean = body.ToString();
        _escaped = _clean.Replace("please check", "please \\\"check\\\"\\n", StringComparison.Ordinal);
        _withKey = _clean.Replace("please check", "key " + keys[Keys / 2] + " please check", StringComparison.Ordinal);
    }

    [Benchmark(Baseline = true)]
    public string NoSecret() => _redactor.Redact(_clean);

    [Benchmark]
    public string NoSecretJsonEscapes() => _redactor.Redact(_escaped);

    [Benchmark]
    public string OnePoolKey() => _redactor.Redact(_withKey);
}
