namespace ApiKeys.Http.Usage;

/// <summary>The scanner at the depth it reads: keys, numbers, and the objects that open or close a usage section.</summary>
public sealed partial class UsageScanner
{
    /// <summary>
    /// Reads the tokens at <see cref="ReadDepth"/>, byte by byte but for strings (they are few: the top-level keys and the
    /// usage fields), until a nested value opens, the object closes, or a string goes on past the chunk. Returns where it
    /// stopped.
    /// </summary>
    private int ReadFields(ReadOnlySpan<byte> bytes, int i)
    {
        while (i < bytes.Length)
        {
            byte b = bytes[i++];
            if (_inNumber && AddDigit(b))
            {
                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    // Every key at the depth read may name a usage object or a count; a value string names nothing.
                    i = _expectKey ? Key(bytes, i) : ValueString(bytes, i);
                    if (_inString)
                    {
                        return i;
                    }

                    break;
                case (byte)'{' or (byte)'[':
                    Open(isArray: b == '[');
                    if (_depth != ReadDepth)
                    {
                        return i;
                    }

                    break;
                case (byte)'}' or (byte)']':
                    Close();
                    if (_depth != ReadDepth)
                    {
                        return i;
                    }

                    break;
                case (byte)',':
                    // The value read at this depth is always an object (a section opens on '{' only), so a key follows.
                    _expectKey = true;
                    _name = Name.Other;
                    break;
                case (byte)':':
                    _expectKey = false;
                    break;
                case >= (byte)'0' and <= (byte)'9':
                    StartNumber(b);
                    break;
                default:
                    // Whitespace, the letters of true, false and null, a sign: nothing to do.
                    break;
            }
        }

        return i;
    }

    /// <summary>A number at the depth read: a count when a field of the open usage object names one; any number ends the name.</summary>
    private void StartNumber(byte digit)
    {
        if (_name != Name.Other && _section != Section.None)
        {
            _inNumber = true;
            _numberName = _name;
            _number = digit - '0';
        }

        _name = Name.Other;
    }

    /// <summary>A digit of the number being read, or its end: the byte after it (then the number is assigned, and the byte read on).</summary>
    private bool AddDigit(byte b)
    {
        if (b is >= (byte)'0' and <= (byte)'9')
        {
            _number = _number < long.MaxValue / 10 ? (_number * 10) + (b - '0') : long.MaxValue;
            return true;
        }

        _inNumber = false;
        Assign(_numberName, _number);
        return false;
    }

    /// <summary>An object or array opens at the depth read: a usage section when the key before it names one.</summary>
    private void Open(bool isArray)
    {
        var name = _name;
        _name = Name.Other;
        _depth++;
        _expectKey = !isArray;
        if (isArray)
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

    /// <summary>The value being read closes: a details object returns to its usage section, a usage section publishes its counts.</summary>
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
}
