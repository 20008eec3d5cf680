namespace ApiKeys.Security;

/// <summary>An entry <see cref="StorePermissions.Restrict"/> left as it was, and why.</summary>
/// <param name="Path">The store directory or one of its entries, as listed (under the directory as given).</param>
/// <param name="Reason">Why, in words: <c>a symbolic link to /srv/shared.txt</c>, <c>Permission denied: ...</c>.</param>
/// <param name="LinkTarget">
/// Where it points when it is a symbolic link, else null. A link is never followed: its mode is its target's, which may
/// lie outside the store (a shared file, another user's directory).
/// </param>
public sealed record ModeLeft(string Path, string Reason, string? LinkTarget = null);
