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
