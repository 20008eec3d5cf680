using System.Text;
using System.Text.Json;
using ApiKeys.Security;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Security;

public class SecretRedactorTests
{
    // Indexes, not keys, as theory data: xUnit prints theory arguments into the test log, which is scanned for canaries.
    public static TheoryData<int> Shapes => [0, 1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Redact_KeyShapedToken_MaskedEverywhere(int shape)
    {
        string key = KeyOfShape(shape);
        string text = $"error for key={key}; \"{key}\" ({key})";

        string redacted = SecretRedactor.Default.Redact(text);

        Assert.DoesNotContain(key, redacted, StringComparison.Ordinal);
        Assert.Contains(key[..4] + "..." + key[^4..], redacted, StringComparison.Ordinal);
        Assert.False(SecretRedactor.Default.ContainsSecret(redacted));
    }

    [Fact]
    public void Redact_NoSecret_ReturnsSameInstance()
    {
        string text = "quota exceeded for model gemini-2.5-pro; task-management-workflow-items untouched";

        string redacted = new SecretRedactor([TestKeys.Gemini(1)]).Redact(text);

        Assert.Same(text, redacted);
    }

    [Fact]
    public void Redact_WordsContainingSkDash_NotMangled()
    {
        string text = "risk-assessment-procedure-document and desk-reservation-system-v2";

        Assert.Equal(text, SecretRedactor.Default.Redact(text));
    }

    [Fact]
    public void Redact_KnownKeyOfAnyShape_MaskedWithItsJsonAndUrlForms()
    {
        string key = "corp+token/with=specials-0042";
        var redactor = new SecretRedactor([key]);
        string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["key"] = key }, SecretRedactorJsonContext.Default.DictionaryStringString);
        string text = $"raw {key} json {json} url ?key={Uri.EscapeDataString(key)}";

        string redacted = redactor.Redact(text);

        Assert.DoesNotContain("token/with", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("token%2Fwith", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("token\\u002Fwith", redacted, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(redacted, "corp...0042"));
    }

    [Fact]
    public void Redact_KnownKeysOverlapping_LongestMasked()
    {
        var redactor = new SecretRedactor(["generic-secret-1234", "generic-secret-1234-longer"]);

        string redacted = redactor.Redact("a generic-secret-1234-longer b generic-secret-1234 c");

        Assert.Equal("a gene...nger b gene...1234 c", redacted);
    }

    [Fact]
    public void Redact_ThousandKnownKeysInLargeBody_AllMasked()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => $"tenant-{i:D5}-opaque-token").ToArray();
        var redactor = new SecretRedactor(keys);
        var body = new StringBuilder();
        foreach (var key in keys)
        {
            body.Append("{\"detail\":\"upstream rejected ").Append(key).Append(" with status 403\"},\n");
        }

        string redacted = redactor.Redact(body.ToString());

        Assert.DoesNotContain("-opaque-token", redacted, StringComparison.Ordinal);
        Assert.False(redactor.ContainsSecret(redacted));
        Assert.True(redactor.ContainsSecret(body.ToString()));
    }

    [Fact]
    public void Redact_ShortKnownSecret_Ignored()
    {
        var redactor = new SecretRedactor(["abc", "", null!]);

        Assert.Equal(0, redactor.KnownForms);
        Assert.Equal("abc abc", redactor.Redact("abc abc"));
    }

    [Fact]
    public void Redact_RealSuspendedErrorBody_NoFullKeyLeft()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "gemini-errors", "403-consumer-suspended.json");
        string body = File.ReadAllText(path);

        string redacted = SecretRedactor.Default.Redact(body);

        Assert.True(SecretRedactor.Default.ContainsSecret(body));
        Assert.False(SecretRedactor.Default.ContainsSecret(redacted));
        Assert.Contains("CONSUMER_SUSPENDED", redacted, StringComparison.Ordinal);
    }

    // The pool's key in a form the text does not show whole: each must come out without 12 characters of the key in a row.
    public static TheoryData<int> HiddenForms => [.. Enumerable.Range(0, 12)];

    [Theory]
    [MemberData(nameof(HiddenForms))]
    public void Redact_PoolKeyInAnotherForm_Masked(int form)
    {
        string key = TestKeys.Gemini(42);
        var redactor = new SecretRedactor([key]);
        string text = $"upstream said: [{HiddenForm(key, form)}] (request 7)";

        string redacted = redactor.Redact(text);

        Assert.Contains("AIza...0042", redacted, StringComparison.Ordinal);
        Assert.EndsWith("] (request 7)", redacted, StringComparison.Ordinal);
        Assert.StartsWith("upstream said: [", redacted, StringComparison.Ordinal);
        for (int i = 0; i + SecretRedactor.MinFragmentLength <= key.Length; i++)
        {
            Assert.DoesNotContain(key.Substring(i, SecretRedactor.MinFragmentLength), Decoded(redacted), StringComparison.Ordinal);
        }

        Assert.True(redactor.ContainsSecret(text));
        Assert.False(redactor.ContainsSecret(redacted));
    }

    [Fact]
    public void Redact_AnotherKeySharingTwelveCharacters_MaskedAsItselfNotAsAFragment()
    {
        var redactor = new SecretRedactor([TestKeys.Gemini(0)]);
        string other = "AIzaSyCANARYsuspendedKey000000000000042";

        string redacted = redactor.Redact($"Consumer 'api_key:{other}' / {TestKeys.Gemini(0)[..14]}suffix");

        Assert.Equal("Consumer 'api_key:AIza...0042' / AIzaSyCANARY00suffix", redacted);
    }

    [Fact]
    public void Redact_FragmentShorterThanTwelve_Kept()
    {
        var redactor = new SecretRedactor([TestKeys.Gemini(42)]);
        string text = "the key starts AIzaSyCANAR and that is all";

        Assert.Same(text, redactor.Redact(text));
    }

    [Fact]
    public void Redact_EscapesWithoutSecrets_TextKeptAsIs()
    {
        var redactor = new SecretRedactor([TestKeys.Gemini(42)]);
        string text = "{\"message\": \"100% done\\n \\u00e9t\u00e9 %41%42\"}";

        Assert.Same(text, redactor.Redact(text));
    }

    private static string HiddenForm(string key, int form) => form switch
    {
        0 => key[..20],                                   // cut short: a prefix
        1 => key[^15..],                                  // cut short: a suffix
        2 => key[..20] + "\n" + key[20..],               // split across lines
        3 => key[..5] + "\r\n    " + key[5..],           // split early, the line indented
        4 => string.Concat(key.Select(c => $"\\u{(int)c:x4}")),  // every character \u-escaped
        5 => string.Concat(key.Select(c => $"\\u{(int)c:X4}")),
        6 => string.Concat(key.Select(c => $"%{(int)c:X2}")),     // fully percent-encoded
        7 => string.Concat(key.Select(c => $"%{(int)c:x2}")),
        8 => key[..10] + "\\n" + key[10..],              // split inside a JSON string
        9 => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)),
        10 => Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + key)),
        _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + key + "y")).Replace('+', '-').Replace('/', '_'),
    };

    /// <summary>What a reader of the text could decode: escapes undone, base64 runs decoded.</summary>
    private static string Decoded(string text)
    {
        string unescaped = Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Unescape(text.Replace("\\n", "", StringComparison.Ordinal)));
        var sb = new StringBuilder(unescaped);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, "[A-Za-z0-9+/_-]{16,}={0,2}"))
        {
            for (int skip = 0; skip < 4; skip++)
            {
                var chunk = m.Value[skip..].Replace('-', '+').Replace('_', '/').TrimEnd('=');
                chunk = chunk[..(chunk.Length / 4 * 4)];
                try
                {
                    sb.Append(' ').Append(Encoding.Latin1.GetString(Convert.FromBase64String(chunk)));
                }
                catch (FormatException)
                {
                }
            }
        }

        return sb.ToString();
    }

    private static string KeyOfShape(int shape) => shape switch
    {
        0 => TestKeys.Gemini(7),
        1 => TestKeys.SeedKey1,
        2 => TestKeys.SeedKey2,
        3 => "AQ.Ab8RN6KexampleTOKENexample_-exampleXYZ",
        4 => "sk-proj-EXAMPLEexampleEXAMPLEexample1234",
        _ => "sk-ant-api03-EXAMPLEexampleEXAMPLE-abcd",
    };

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SecretRedactorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
