namespace ApiKeys.Pool;

/// <summary>The result of applying an outcome to a key's state.</summary>
/// <param name="State">The new state.</param>
/// <param name="Effect">What changed for the key's availability.</param>
/// <param name="Until">For cooldowns: when the key (or key x model) comes back; null for disables.</param>
/// <param name="Model">For model-scoped effects: the model.</param>
/// <param name="ProjectWide">Whether every key of the same project must be cooled or disabled the same way
/// (<see cref="KeyStatePolicy.ApplyToProjectSibling"/>).</param>
/// <param name="Alert">Whether the transition calls for an alert whatever the strikes (a key reported as leaked).</param>
public readonly record struct KeyTransition(KeyState State, KeyEffect Effect, DateTimeOffset? Until = null, string? Model = null, bool ProjectWide = false, bool Alert = false);
