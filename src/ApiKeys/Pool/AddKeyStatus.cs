namespace ApiKeys.Pool;

/// <summary>What <see cref="ApiKeyManager.AddKey"/> did.</summary>
public enum AddKeyStatus
{
    /// <summary>The key was added.</summary>
    Added = 0,

    /// <summary>The key is in the pool already.</summary>
    Duplicate,

    /// <summary>Empty, or not a key (whitespace, control characters, too short or long).</summary>
    Malformed,

    /// <summary>Starts like a Google key but is not 39 characters of the right alphabet.</summary>
    MalformedGemini,

    /// <summary>No known format, and generic keys are not allowed.</summary>
    UnknownFormat,
}
