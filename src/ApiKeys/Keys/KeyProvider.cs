namespace ApiKeys.Keys;

/// <summary>The service a key belongs to, detected from the key's format.</summary>
public enum KeyProvider
{
    /// <summary>A key of no known format (accepted only when the caller allows it).</summary>
    Generic = 0,

    /// <summary>A Google Gemini key: <c>AIza</c> + 35 characters, or the newer <c>AQ.</c> auth keys.</summary>
    Gemini = 1,

    /// <summary>An OpenAI key: <c>sk-...</c> (including <c>sk-proj-...</c>).</summary>
    OpenAI = 2,

    /// <summary>An Anthropic key: <c>sk-ant-...</c>.</summary>
    Anthropic = 3,
}
