using System.Text.RegularExpressions;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.EndToEnd;

/// <summary>What the real tool sends to a real terminal, byte for byte: with NO_COLOR no escape sequence at all.</summary>
public sealed partial class TerminalOutputTests
{
    [Fact]
    public void List_NoColorOnATerminal_NoEscapeSequenceAtAll()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        using var pty = PtySession.Start(dir.Path, "list");
        pty.WaitFor("1. AIza...YNQs (Active)");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', pty.RawScreen);
    }

    [Fact]
    public void List_ColourOnATerminal_OnlyColourSequencesNoKeypadMode()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        using var pty = PtySession.StartInColour(dir.Path, "list");
        pty.WaitFor("1. AIza...YNQs (Active)");
        int exit = pty.WaitForExit();

        Assert.Equal(0, exit);
        var sequences = AnyEscape().Matches(pty.RawScreen).Select(m => m.Value).ToList();
        Assert.NotEmpty(sequences);
        Assert.All(sequences, s => Assert.Matches(ColourSequence(), s));
    }

    // An escape and what follows it up to its final character (CSI sequences), or the one character after it.
    [GeneratedRegex("\u001b(\\[[0-9;?]*[A-Za-z]|.)")]
    private static partial Regex AnyEscape();

    [GeneratedRegex("^\u001b\\[[0-9;]*m$")]
    private static partial Regex ColourSequence();
}
