namespace ApiKeys.Pool;

/// <summary>What a <see cref="KeyNotice"/> tells.</summary>
internal enum KeyNoticeKind
{
    /// <summary><see cref="KeyNotice.Args"/> is a <see cref="KeyEventArgs"/>.</summary>
    KeyChanged,

    /// <summary><see cref="KeyNotice.Args"/> is a <see cref="KeyAlertEventArgs"/>.</summary>
    Alert,

    /// <summary><see cref="KeyNotice.Failure"/>, <see cref="KeyNotice.Count"/> keys, back off until <see cref="KeyNotice.At"/>.</summary>
    EnvironmentFault,

    /// <summary>Saving <see cref="KeyNotice.Text"/> to <see cref="KeyNotice.Path"/> failed for <see cref="KeyNotice.Reason"/>.</summary>
    StoreSaveFailed,

    /// <summary>Saving to <see cref="KeyNotice.Path"/> works again.</summary>
    StoreSaveRecovered,
}
