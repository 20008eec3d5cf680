namespace ApiKeys.Benchmarks;

/// <summary>The baseline scanner's vocabulary (as in main at 762657b).</summary>
internal sealed partial class UsageScannerBaseline
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

    private static Name Match(ReadOnlySpan<byte> key) => key switch
    {
        _ when key.SequenceEqual("usageMetadata"u8) => Name.UsageMetadata,
        _ when key.SequenceEqual("usage"u8) => Name.Usage,
        _ when key.SequenceEqual("promptTokenCount"u8) => Name.PromptTokenCount,
        _ when key.SequenceEqual("candidatesTokenCount"u8) => Name.CandidatesTokenCount,
        _ when key.SequenceEqual("cachedContentTokenCount"u8) => Name.CachedContentTokenCount,
        _ when key.SequenceEqual("thoughtsTokenCount"u8) => Name.ThoughtsTokenCount,
        _ when key.SequenceEqual("prompt_tokens"u8) => Name.PromptTokens,
        _ when key.SequenceEqual("completion_tokens"u8) => Name.CompletionTokens,
        _ when key.SequenceEqual("prompt_tokens_details"u8) => Name.PromptTokensDetails,
        _ when key.SequenceEqual("completion_tokens_details"u8) => Name.CompletionTokensDetails,
        _ when key.SequenceEqual("cached_tokens"u8) => Name.CachedTokens,
        _ when key.SequenceEqual("reasoning_tokens"u8) => Name.ReasoningTokens,
        _ => Name.Other,
    };
}
