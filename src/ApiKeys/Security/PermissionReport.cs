namespace ApiKeys.Security;

/// <summary>What <see cref="StorePermissions.Restrict"/> did: the modes it changed, and what it left as it was.</summary>
public sealed class PermissionReport
{
    internal PermissionReport(IReadOnlyList<ModeChange> changed, IReadOnlyList<ModeLeft> left)
    {
        Changed = changed;
        Left = left;
    }

    /// <summary>The modes changed, the directory's first, then its files in the order listed.</summary>
    public IReadOnlyList<ModeChange> Changed { get; }

    /// <summary>
    /// The entries left as they were: every symbolic link (its mode is its target's; a store directory that is a link is
    /// then the only entry, and nothing in it was looked at), and exposed modes the process may not change (a file of
    /// another user). Entries already private are in neither list.
    /// </summary>
    public IReadOnlyList<ModeLeft> Left { get; }
}
