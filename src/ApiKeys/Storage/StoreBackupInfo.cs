namespace ApiKeys.Storage;

/// <summary>What a backup holds (<see cref="StoreBackup.Read"/>).</summary>
/// <param name="KeysPath">The keys backup (a full path).</param>
/// <param name="StatesPath">The states backup beside it; null when there is none.</param>
/// <param name="KeyCount">How many keys it holds.</param>
/// <param name="IsEncrypted">Whether the keys backup is encrypted.</param>
public sealed record StoreBackupInfo(string KeysPath, string? StatesPath, int KeyCount, bool IsEncrypted);
