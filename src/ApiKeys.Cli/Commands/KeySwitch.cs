namespace ApiKeys.Cli.Commands;

/// <summary>What <see cref="KeySwitchCommand"/> does to a key.</summary>
internal enum KeySwitch
{
    Enable,
    Disable,
    Reset,
}
