namespace ApiKeys.Http.Usage;

/// <summary>
/// Finds the token counts of a response as its bytes go by, in one pass and in constant memory: Gemini's
/// <c>usageMetadata</c> and OpenAI's <c>usage</c> objects at the top level of each JSON object of the body (one object, a
/// JSON array of them, or server-sent events <c>data: {...}</c>). Each usage object found replaces the counts of the
/// previous one, so a stream yields its last chunk's counts (Gemini's are cumulative; OpenAI sends them in the final chunk).
/// Strings are skipped without being kept, and so is every value nested deeper than the fields it reads (all of
/// <c>candidates</c>): there only the brackets outside strings are followed, 64 bytes at a time from vector compares. Not
/// thread-safe: one scanner per response.
/// </summary>
/// <remarks>It reads structure, not validity: a body that is not JSON yields no counts.</remarks>
public sealed partial class UsageScanner
{
    /// <summary>The longest name known is 25 bytes: a longer key is no name, and is not kept.</summary>
    private const int MaxKey = 32;

    // The key being read when it spans chunks (or holds an escape: then longer than MaxKey, so no name).
    private KeyBytes _key;
    private int _keyLength;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _captureKey;
    private bool _expectKey;
    private Name _name;
    private Section _section;
    private Name _numberName;
    private long _number;
    private bool _inNumber;
    private Counts _current;

    /// <summary>Whether a usage object was found.</summary>
    public bool Found { get; private set; }

    /// <summary>Input tokens of the last usage object.</summary>
    public long? Input { get; private set; }

    /// <summary>Output tokens of the last usage object.</summary>
    public long? Output { get; private set; }

    /// <summary>Cached input tokens of the last usage object.</summary>
    public long? Cached { get; private set; }

    /// <summary>Thinking tokens of the last usage object.</summary>
    public long? Thinking { get; private set; }

    /// <summary>Whether a body may hold token counts: JSON or server-sent events, not compressed.</summary>
    public static bool CanScan(HttpContent? content)
    {
        // The raw values (NonValidated): a header parsed here would be parsed for nothing on every response.
        var headers = content?.Headers.NonValidated;
        if (headers is not { } raw || (raw.TryGetValues("Content-Encoding", out var encoding) && HasValue(encoding)))
        {
            return false;
        }

        if (!raw.TryGetValues("Content-Type", out var types))
        {
            return true;
        }

        string type = types.ToString();
        return type.Length == 0 || type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.Contains("event-stream", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasValue(System.Net.Http.Headers.HeaderStringValues values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Scans the next bytes of the body.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            // Each step reads up to where the mode changes (a value opens or closes, a string ends) or the chunk ends.
            if (_depth > ReadDepth)
            {
                // A nested value follows its own strings.
                i = SkipNested(bytes, i);
            }
            else if (_inString)
            {
                i = InString(bytes, i);
            }
            else if (_depth == 0)
            {
                // Outside any object: "data: " prefixes, newlines, a wrapping array and its commas are not ours.
                int open = bytes[i..].IndexOf((byte)'{');
                if (open < 0)
                {
                    return;
                }

                i += open + 1;
                Open(isArray: false);
            }
            else
            {
                i = ReadFields(bytes, i);
            }
        }
    }

    /// <summary>
    /// The depth whose keys and values are read: the top of each object (1), else the open usage object's own fields (2,
    /// or 3 in OpenAI's details). A value nested deeper cannot change the counts, nor any state once it is closed.
    /// </summary>
    private int ReadDepth => _section switch
    {
        Section.None => 1,
        Section.Gemini or Section.OpenAi => 2,
        _ => 3,
    };

    /// <summary>A key's bytes, inside the scanner: no second allocation per response.</summary>
    [System.Runtime.CompilerServices.InlineArray(MaxKey)]
    private struct KeyBytes
    {
        private byte _first;
    }

    private struct Counts
    {
        public long? Input;
        public long? Output;
        public long? Cached;
        public long? Thinking;
    }
}
