namespace ApiKeys.Security;

/// <summary>Why a passphrase is asked for, so a prompt can say so (and ask twice for a new one).</summary>
public enum PassphrasePurpose
{
    /// <summary>To open an encrypted store.</summary>
    Unlock = 0,

    /// <summary>A new passphrase: encrypting a plain store, or the new one of a change.</summary>
    New = 1,
}
