namespace ApiKeys.Storage;

/// <summary>The files of one backup (<see cref="StoreBackup"/>).</summary>
/// <param name="KeysPath">The keys backup.</param>
/// <param name="StatesPath">The states backup; null when the store had no states file.</param>
public sealed record StoreBackupFiles(string KeysPath, string? StatesPath);
