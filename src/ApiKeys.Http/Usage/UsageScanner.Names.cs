namespace ApiKeys.Http.Usage;

/// <summary>The scanner's vocabulary: the usage objects and fields it knows, and which count each one sets.</summary>
public sealed partial class UsageScanner
{
    private enum Section : byte
    {
        None,
        Gemini,
        OpenAi,
        PromptDetails,
        CompletionDetails,
    }

    private enum Name : byte
    {
        Other,
        UsageMetadata,
        Usage,
        PromptTokenCount,
        CandidatesTokenCount,
        CachedContentTokenCount,
        ThoughtsTokenCount,
        PromptTokens,
        CompletionTokens,
        PromptTokensDetails,
        CompletionTokensDetails,
        CachedTokens,
        ReasoningTokens,
    }

    private void Assign(Name name, long value)
    {
        switch (_section, name)
        {
            case (Section.Gemini, Name.PromptTokenCount) or (Section.OpenAi, Name.PromptTokens):
                _current.Input = value;
                break;
            case (Section.Gemini, Name.CandidatesTokenCount) or (Section.OpenAi, Name.CompletionTokens):
                _current.Output = value;
                break;
            case (Section.Gemini, Name.CachedContentTokenCount) or (Section.PromptDetails, Name.CachedTokens):
                _current.Cached = value;
                break;
            case (Section.Gemini, Name.ThoughtsTokenCount) or (Section.CompletionDetails, Name.ReasoningTokens):
                _current.Thinking = value;
                break;
            default:
                break;
        }
    }

    /// <summary>The name a key's bytes spell, if any; by length first, so most keys cost one comparison or none.</summary>
    private static Name Match(ReadOnlySpan<byte> key) => key.Length switch
    {
        5 when key.SequenceEqual("usage"u8) => Name.Usage,
        13 when key.SequenceEqual("usageMetadata"u8) => Name.UsageMetadata,
        13 when key.SequenceEqual("prompt_tokens"u8) => Name.PromptTokens,
        13 when key.SequenceEqual("cached_tokens"u8) => Name.CachedTokens,
        16 when key.SequenceEqual("promptTokenCount"u8) => Name.PromptTokenCount,
        16 when key.SequenceEqual("reasoning_tokens"u8) => Name.ReasoningTokens,
        17 when key.SequenceEqual("completion_tokens"u8) => Name.CompletionTokens,
        18 when key.SequenceEqual("thoughtsTokenCount"u8) => Name.ThoughtsTokenCount,
        20 when key.SequenceEqual("candidatesTokenCount"u8) => Name.CandidatesTokenCount,
        21 when key.SequenceEqual("prompt_tokens_details"u8) => Name.PromptTokensDetails,
        23 when key.SequenceEqual("cachedContentTokenCount"u8) => Name.CachedContentTokenCount,
        25 when key.SequenceEqual("completion_tokens_details"u8) => Name.CompletionTokensDetails,
        _ => Name.Other,
    };
}
