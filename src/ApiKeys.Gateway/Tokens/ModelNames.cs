namespace ApiKeys.Gateway.Tokens;

/// <summary>Model names as requests spell them: <c>gemini-2.5-flash</c> or <c>models/gemini-2.5-flash</c>.</summary>
public static class ModelNames
{
    /// <summary>The name without a <c>models/</c> prefix.</summary>
    public static string Normalize(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
    }
}
