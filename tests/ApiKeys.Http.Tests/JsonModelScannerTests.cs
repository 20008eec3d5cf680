using System.Text;

namespace ApiKeys.Http.Tests;

public class JsonModelScannerTests
{
    [Theory]
    [InlineData("""{"model":"gemini-2.5-flash","messages":[]}""", "gemini-2.5-flash")]
    [InlineData("""{"model": "models/gemini-2.5-pro"}""", "gemini-2.5-pro")]
    [InlineData("""{"messages":[{"role":"user","content":"say \"model\": \"x\" {now} [ok]"}],"metadata":{"model":"not-this"},"model":"gemini-2.0-flash"}""", "gemini-2.0-flash")]
    [InlineData("""{"mod\u0065l":"gemini-2.5-flash"}""", "gemini-2.5-flash")]
    [InlineData("""{"model":"gemini\u002d2.5-flash"}""", "gemini-2.5-flash")]
    [InlineData("\uFEFF{\"model\":\"gemini-2.5-flash\"}", "gemini-2.5-flash")]
    [InlineData("""{"messages":[],"stream":true}""", null)]
    [InlineData("""{"model":null,"x":"gemini"}""", null)]
    [InlineData("""{"model":{"name":"gemini-2.5-flash"}}""", null)]
    [InlineData("""{"model":""}""", null)]
    [InlineData("""[{"model":"gemini-2.5-flash"}]""", null)]
    [InlineData("""{"contents":[{"parts":[{"text":"hi"}]}]}""", null)]
    public void Write_Body_FindsTheTopLevelModel(string json, string? expected)
    {
        Assert.Equal(expected, Scan(Encoding.UTF8.GetBytes(json), chunk: int.MaxValue));
        Assert.Equal(expected, Scan(Encoding.UTF8.GetBytes(json), chunk: 1)); // the same, a byte at a time
    }

    [Fact]
    public void Write_ModelAfterAHugeString_FoundWithoutKeepingTheString()
    {
        string image = new('A', 4 * 1024 * 1024);
        byte[] body = Encoding.UTF8.GetBytes("{\"messages\":[{\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + image + "\"}}]}],\"model\":\"gemini-2.5-flash\"}");

        Assert.Equal("gemini-2.5-flash", Scan(body, chunk: 64 * 1024));
    }

    [Fact]
    public void Write_ModelValueLongerThanAnyModelName_None()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"model\":\"" + new string('m', 300) + "\"}");

        Assert.Null(Scan(body, chunk: int.MaxValue));
    }

    [Fact]
    public void Write_ModelFound_StopsReading()
    {
        using var scanner = new JsonModelScanner();

        scanner.Write("{\"model\":\"gemini-2.5-flash\","u8);
        scanner.Write("\"model\":\"other\"}"u8);

        Assert.True(scanner.IsDone);
        Assert.Equal("gemini-2.5-flash", scanner.Model);
    }

    private static string? Scan(byte[] body, int chunk)
    {
        using var scanner = new JsonModelScanner();
        for (int at = 0; at < body.Length; at += Math.Min(chunk, body.Length - at))
        {
            scanner.Write(body.AsSpan(at, Math.Min(chunk, body.Length - at)));
        }

        return scanner.Model;
    }
}
