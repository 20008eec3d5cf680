using System.Runtime.Versioning;

// The tests check Unix file modes and drive a real pseudo-terminal.
[assembly: UnsupportedOSPlatform("windows")]
