using System.Text;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>A file that cannot be read gives one typed error naming the file and the position, and is never overwritten.</summary>
public class BadInputTests
{
    [Fact]
    public void Open_KeysFileTruncatedAtEveryByteOffset_TypedErrorAndBytesUntouched()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1), label: "a");
            setup.AddKey(TestKeys.Gemini(2), project: "p");
        }

        byte[] whole = File.ReadAllBytes(dir.File("api_keys.json"));
        int failures = 0;
        for (int length = 0; length < whole.Length; length++)
        {
            byte[] cut = whole[..length];
            if (IsWhitespaceTail(whole, length))
            {
                continue; // only trailing whitespace removed: still a whole document
            }

            File.WriteAllBytes(dir.File("api_keys.json"), cut);

            var e = Assert.Throws<KeyStoreException>(() => OpenAndTouch(dir.Path));

            Assert.Contains(dir.File("api_keys.json"), e.Message);
            Assert.Equal(cut, File.ReadAllBytes(dir.File("api_keys.json")));
            Assert.DoesNotContain(TestKeys.Gemini(1), e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TestKeys.Gemini(2), e.Message, StringComparison.Ordinal);
            failures++;
        }

        Assert.True(failures > whole.Length - 4);
    }

    [Fact]
    public void Open_StatesFileTruncatedAtEveryByteOffset_TypedErrorAndBytesUntouched()
    {
        using var dir = new TempDirectory();
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1));
            setup.UpdateKeyStatus(TestKeys.Gemini(1), ApiKeys.Pool.KeyFailure.RateLimited(TimeSpan.FromSeconds(5), ApiKeys.Pool.RateLimitScope.Minute, "m"));
        }

        byte[] whole = File.ReadAllBytes(dir.File("api_key_states.json"));
        for (int length = 0; length < whole.Length; length++)
        {
            if (IsWhitespaceTail(whole, length))
            {
                continue;
            }

            byte[] cut = whole[..length];
            File.WriteAllBytes(dir.File("api_key_states.json"), cut);

            var e = Assert.Throws<KeyStoreException>(() => OpenAndTouch(dir.Path));

            Assert.Contains("api_key_states.json", e.Message);
            Assert.Equal(cut, File.ReadAllBytes(dir.File("api_key_states.json")));
        }
    }

    // Test names show only the case number: the contents hold canary keys, which no test output may show.
    private static readonly (string File, string Content, KeyStoreErrorKind Kind, string Position)[] Cases =
    [
        ("api_keys.json", "@ not json at all", KeyStoreErrorKind.Corrupt, "line 1, column 1"),
        ("api_keys.json", "[\n  \"AIzaSyCANARY000000000000000000000000001\",\n  oops\n]", KeyStoreErrorKind.Corrupt, "line 3, column 3"),
        ("api_keys.json", "{\"a\": 1}", KeyStoreErrorKind.InvalidShape, "$.format"),
        ("api_keys.json", "[1, 2]", KeyStoreErrorKind.InvalidShape, "$[0]"),
        ("api_keys.json", "\"just a string\"", KeyStoreErrorKind.InvalidShape, "at $"),
        ("api_keys.json", "[\"AIzaSyCANARY000000000000000000000000001\", \"AIzaSyCANARY000000000000000000000000001\"]", KeyStoreErrorKind.InvalidShape, "duplicate entry"),
        ("api_keys.json", "{\"format\": \"apikeys/9\", \"keys\": []}", KeyStoreErrorKind.UnsupportedVersion, "apikeys/9"),
        ("api_keys.json", "{\"format\": \"apikeys/1\", \"keys\": [{\"key\": 5}]}", KeyStoreErrorKind.InvalidShape, "$.keys[0].key"),
        ("api_keys.json", "{\"format\": \"apikeys/1\", \"format\": \"apikeys/1\", \"keys\": []}", KeyStoreErrorKind.Corrupt, "appears twice"),
        ("api_keys.json", new string('[', 100) + new string(']', 100), KeyStoreErrorKind.Corrupt, "nested deeper"),
        ("api_key_states.json", "{\"format\": \"apikeys-states/2\"}", KeyStoreErrorKind.UnsupportedVersion, "apikeys-states/2"),
        ("api_key_states.json", "{\"format\": \"apikeys-states/1\", \"states\": {\"nope\": {}}}", KeyStoreErrorKind.InvalidShape, "key id"),
        ("api_key_states.json", "{\"AIzaSyCANARY000000000000000000000000001\": {\"failures\": -1}}", KeyStoreErrorKind.InvalidShape, "failures"),
        ("api_key_states.json", "{\"AIzaSyCANARY000000000000000000000000001\": {\"blocked_until\": \"soon\"}}", KeyStoreErrorKind.InvalidShape, "blocked_until"),
        ("api_key_states.json", "[]", KeyStoreErrorKind.InvalidShape, "expected an object"),

        // A duplicate entry of the seed's states file at its real position (not line 1, column 1), its key masked.
        ("api_key_states.json", "{\n  \"AIzaSyCANARY000000000000000000000000001\": {},\n  \"AIzaSyCANARY000000000000000000000000001\": {}\n}",
            KeyStoreErrorKind.Corrupt, "line 3, column 3: the property 'AIza...0001' appears twice"),
        ("api_key_states.json", "{\n  \"AIzaSyCANARY000000000000000000000000001\": {},\n  \" AIzaSyCANARY000000000000000000000000001\": {}\n}",
            KeyStoreErrorKind.InvalidShape, "line 3, column 3 (at $['AIza...0001']): duplicate entry"),

        // Values that could be keys are masked in the message.
        ("api_keys.json", "{\"format\": \"apikeys/1\", \"keys\": [{\"key\": \"AIzaSyCANARY000000000000000000000000001\", \"provider\": \"AIzaSyCANARY000000000000000000000000002\"}]}",
            KeyStoreErrorKind.InvalidShape, "unknown provider 'AIza...0002'"),
        ("api_keys.json", "{\"format\": \"apikeys/1\", \"keys\": [{\"key\": \"AIzaSyCANARY000000000000000000000000001\", \"provider\": \"gemnii\"}]}",
            KeyStoreErrorKind.InvalidShape, "unknown provider 'gemnii'"),
        ("api_keys.json", "{\"format\": \"AIzaSyCANARY000000000000000000000000002\", \"keys\": []}", KeyStoreErrorKind.UnsupportedVersion, "'AIza...0002'"),
        ("api_key_states.json", "{\"format\": \"apikeys-states/1\", \"states\": {\"AIzaSyCANARY000000000000000000000000001\": {}}}",
            KeyStoreErrorKind.InvalidShape, "$.states['AIza...0001']: expected a key id"),
        ("api_key_states.json", "{\"AIzaSyCANARY000000000000000000000000001\": {\"block_kind\": \"AIzaSyCANARY000000000000000000000000002\"}}",
            KeyStoreErrorKind.InvalidShape, "unknown failure kind 'AIza...0002'"),
    ];

    public static TheoryData<int> BadFiles => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Open_BadFile_TypedErrorWithPositionAndBytesUntouched(int number)
    {
        var (file, content, kind, position) = Cases[number];
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(file), content);
        byte[] before = File.ReadAllBytes(dir.File(file));

        var e = Assert.Throws<KeyStoreException>(() => OpenAndTouch(dir.Path));

        Assert.Equal(kind, e.Kind);
        Assert.Contains(dir.File(file), e.Message);
        Assert.Contains(position, e.Message);
        Assert.DoesNotContain("AIzaSyCANARY", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File(file)));
    }

    [Fact]
    public void Open_FileLargerThanLimit_TooLargeAndUntouched()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("api_keys.json"), "[" + new string(' ', 2048) + "]");

        var e = Assert.Throws<KeyStoreException>(() => new ApiKeyManager(new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { MaxFileBytes = 1024 })));

        Assert.Equal(KeyStoreErrorKind.TooLarge, e.Kind);
        Assert.Equal(2050, new FileInfo(dir.File("api_keys.json")).Length);
    }

    [Fact]
    public void StateWrite_AfterAnotherProcessCorruptedTheFile_NeverOverwritesIt()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path);
        pool.AddKey(TestKeys.Gemini(1));
        pool.Flush();
        File.WriteAllText(dir.File("api_key_states.json"), "{ broken");
        byte[] broken = File.ReadAllBytes(dir.File("api_key_states.json"));

        pool.UpdateKeyStatus(TestKeys.Gemini(1), success: false);
        Assert.Throws<KeyStoreException>(() => pool.Flush());
        var added = Assert.Throws<KeyStoreException>(() => pool.AddKey(TestKeys.Gemini(2)));

        Assert.Equal(broken, File.ReadAllBytes(dir.File("api_key_states.json")));
        Assert.Equal(TestKeys.Gemini(1), pool.GetAvailableKey());
        Assert.Contains("api_key_states.json", added.Message);
    }

    [Fact]
    public void AddKey_KeysFileCorruptedMeanwhile_RefusedAndUntouched()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path);
        pool.AddKey(TestKeys.Gemini(1));
        File.WriteAllText(dir.File("api_keys.json"), "[\"AIza");
        byte[] broken = File.ReadAllBytes(dir.File("api_keys.json"));

        Assert.Throws<KeyStoreException>(() => pool.AddKey(TestKeys.Gemini(2)));

        Assert.Equal(broken, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    private static void OpenAndTouch(string dir)
    {
        using var pool = ApiKeyManager.Open(dir);
        pool.AddKey(TestKeys.Gemini(50));
        pool.Flush();
    }

    private static bool IsWhitespaceTail(byte[] whole, int length) =>
        length > 0 && whole.AsSpan(length).IndexOfAnyExcept(" \r\n\t"u8) < 0;
}
