namespace ApiKeys.Keys;

/// <summary>What <see cref="KeyFormat.Check"/> found.</summary>
public enum KeyFormatCheck
{
    /// <summary>Null or empty.</summary>
    Empty,

    /// <summary>A well-formed Gemini key.</summary>
    Gemini,

    /// <summary>A well-formed OpenAI key.</summary>
    OpenAI,

    /// <summary>A well-formed Anthropic key.</summary>
    Anthropic,

    /// <summary>No known format; acceptable as a generic key when the caller allows it.</summary>
    Unknown,

    /// <summary>Starts like a Google key but has the wrong length or characters (the seed: "Ensure 39-character Google API key format").</summary>
    MalformedGemini,

    /// <summary>Whitespace, control characters, too short or too long: not a key.</summary>
    Malformed,
}
