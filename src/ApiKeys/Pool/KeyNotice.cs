namespace ApiKeys.Pool;

/// <summary>One notice of a <see cref="KeyNotices"/> batch; which fields are set depends on <see cref="Kind"/>.</summary>
internal readonly record struct KeyNotice(
    KeyNoticeKind Kind,
    EventArgs? Args = null,
    FailureKind Failure = default,
    int Count = 0,
    DateTimeOffset At = default,
    string? Text = null,
    string? Reason = null,
    string? Path = null);
