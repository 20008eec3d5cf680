namespace ApiKeys.Benchmarks;

/// <summary>
/// The baseline of <see cref="UsageScannerBenchmarks"/>: <c>ApiKeys.Http.Usage.UsageScanner</c> as it was before the
/// skipping scanner (main at 762657b), kept unchanged but for its name and <c>CanScan</c>, so both run in one session.
/// It reads one token per step and captures every top-level key byte by byte.
/// </summary>
internal sealed partial class UsageScannerBaseline
{
    private const int MaxKey = 32;

    private static readonly System.Buffers.SearchValues<byte> Whitespace = System.Buffers.SearchValues.Create(" \n\r\t"u8);
    private const int MaxDepth = 63;

    private readonly byte[] _key = new byte[MaxKey];
    private int _keyLength;
    private ulong _arrays;
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

    /// <summary>Scans the next bytes of the body.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (_inString && !_captureKey && !_escape)
            {
                // The bulk of a body is string content: jump to its end (vectorized).
                int end = bytes[i..].IndexOfAny((byte)'"', (byte)'\\');
                if (end < 0)
                {
                    return;
                }

                i += end;
            }
            else if (bytes[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' && !_inString && !_inNumber)
            {
                // Gemini's answers are pretty-printed: between tokens, runs of indentation mean nothing here (vectorized).
                int next = bytes[i..].IndexOfAnyExcept(Whitespace);
                if (next < 0)
                {
                    return;
                }

                i += next;
                continue;
            }

            Step(bytes[i]);
            i++;
        }
    }

    private void Step(byte b)
    {
        if (_inString)
        {
            InString(b);
            return;
        }

        if (_inNumber)
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                _number = _number < long.MaxValue / 10 ? (_number * 10) + (b - '0') : long.MaxValue;
                return;
            }

            _inNumber = false;
            Assign(_numberName, _number);
        }

        if (_depth == 0)
        {
            // Outside any object: "data: " prefixes, newlines, a wrapping array and its commas are not ours.
            if (b == '{')
            {
                Open(isArray: false);
            }

            return;
        }

        Structure(b);
    }

    /// <summary>A byte inside an object or array, outside strings and numbers: what it opens, closes or separates.</summary>
    private void Structure(byte b)
    {
        switch (b)
        {
            case (byte)'"':
                _inString = true;
                _captureKey = _expectKey && _depth <= 3 && (_depth == 1 || _section != Section.None);
                _keyLength = 0;
                break;
            case (byte)'{':
                Open(isArray: false);
                break;
            case (byte)'[':
                Open(isArray: true);
                break;
            case (byte)'}' or (byte)']':
                Close();
                break;
            case (byte)',':
                _expectKey = !IsArray(_depth);
                _name = Name.Other;
                break;
            case (byte)':':
                _expectKey = false;
                break;
            case >= (byte)'0' and <= (byte)'9':
                if (_name != Name.Other && _depth == SectionDepth)
                {
                    _inNumber = true;
                    _numberName = _name;
                    _number = b - '0';
                }

                _name = Name.Other;
                break;
            default:
                break;
        }
    }

    private void InString(byte b)
    {
        if (_escape)
        {
            _escape = false;
            _keyLength = MaxKey + 1;
            return;
        }

        if (b == '\\')
        {
            _escape = true;
            return;
        }

        if (b == '"')
        {
            _inString = false;
            if (_captureKey)
            {
                _captureKey = false;
                _name = _keyLength <= MaxKey ? Match(_key.AsSpan(0, _keyLength)) : Name.Other;
            }
            else if (!_expectKey)
            {
                _name = Name.Other;
            }

            return;
        }

        if (_captureKey)
        {
            if (_keyLength < MaxKey)
            {
                _key[_keyLength] = b;
            }

            _keyLength++;
        }
    }

    private void Open(bool isArray)
    {
        var name = _name;
        _name = Name.Other;
        _depth++;
        if (_depth <= MaxDepth)
        {
            _arrays = isArray ? _arrays | (1UL << _depth) : _arrays & ~(1UL << _depth);
        }

        _expectKey = !isArray;
        if (isArray || _depth > 3)
        {
            return;
        }

        if (_depth == 2 && _section == Section.None && name is Name.UsageMetadata or Name.Usage)
        {
            _section = name == Name.UsageMetadata ? Section.Gemini : Section.OpenAi;
            _current = default;
        }
        else if (_depth == 3 && _section == Section.OpenAi && name is Name.PromptTokensDetails or Name.CompletionTokensDetails)
        {
            _section = name == Name.PromptTokensDetails ? Section.PromptDetails : Section.CompletionDetails;
        }
    }

    private void Close()
    {
        if (_depth == 3 && _section is Section.PromptDetails or Section.CompletionDetails)
        {
            _section = Section.OpenAi;
        }
        else if (_depth == 2 && _section != Section.None)
        {
            _section = Section.None;
            Found = true;
            Input = _current.Input;
            Output = _current.Output;
            Cached = _current.Cached;
            Thinking = _current.Thinking;
        }

        _depth--;
        _name = Name.Other;
        _expectKey = false;
    }

    /// <summary>The depth of the current section's own fields (0: none).</summary>
    private int SectionDepth => _section switch
    {
        Section.Gemini or Section.OpenAi => 2,
        Section.PromptDetails or Section.CompletionDetails => 3,
        _ => 0,
    };

    private bool IsArray(int depth) => depth <= MaxDepth && (_arrays & (1UL << depth)) != 0;

    private struct Counts
    {
        public long? Input;
        public long? Output;
        public long? Cached;
        public long? Thinking;
    }
}
