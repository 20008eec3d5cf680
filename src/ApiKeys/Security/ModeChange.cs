namespace ApiKeys.Security;

/// <summary>A mode <see cref="StorePermissions.Restrict"/> changed.</summary>
/// <param name="Path">The store directory or one of its files, as listed (under the directory as given).</param>
/// <param name="Before">Its mode before.</param>
/// <param name="After">Its mode now: <paramref name="Before"/> without the group's and others' bits.</param>
public sealed record ModeChange(string Path, UnixFileMode Before, UnixFileMode After);
