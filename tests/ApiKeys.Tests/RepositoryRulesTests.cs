using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiKeys.Tests;

/// <summary>
/// The size rules every project in src/ keeps (issue 10): no file over 300 lines, no method over 60. A file past them is
/// two things; a method past them, two steps. Each offender is named with its length.
/// </summary>
public sealed class RepositoryRulesTests
{
    private const int MaxFileLines = 300;
    private const int MaxMethodLines = 60;

    [Fact]
    public void SourceFiles_AtMost300Lines()
    {
        var offenders = SourceFiles()
            .Select(f => (File: f, Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{Relative(f.File)}: {f.Lines} lines")
            .ToList();

        Assert.True(offenders.Count == 0, $"Files over {MaxFileLines} lines:\n{string.Join('\n', offenders)}");
    }

    [Fact]
    public void Methods_AtMost60Lines()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles())
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot();
            foreach (var (name, span) in Methods(root))
            {
                int lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines > MaxMethodLines)
                {
                    offenders.Add($"{Relative(file)}:{span.StartLinePosition.Line + 1}: {name}, {lines} lines");
                }
            }
        }

        Assert.True(offenders.Count == 0, $"Methods over {MaxMethodLines} lines:\n{string.Join('\n', offenders)}");
    }

    [Fact]
    public void Rules_SeeEveryProjectOfSrc()
    {
        var projects = Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories).Select(Path.GetDirectoryName).ToList();

        Assert.Contains(projects, p => p!.EndsWith("ApiKeys.Cli", StringComparison.Ordinal));
        Assert.All(projects, p => Assert.Contains(SourceFiles(), f => f.StartsWith(p + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
    }

    /// <summary>Methods, constructors, accessors, operators and local functions, from their first line (attributes and doc comments aside) to their last.</summary>
    private static IEnumerable<(string Name, FileLinePositionSpan Span)> Methods(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes())
        {
            string? name = node switch
            {
                MethodDeclarationSyntax m => m.Identifier.Text,
                ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
                LocalFunctionStatementSyntax l => l.Identifier.Text + " (local function)",
                AccessorDeclarationSyntax a => $"{(a.Parent?.Parent as BasePropertyDeclarationSyntax)?.ToString().Split('{', '=')[0].Trim()} {a.Keyword.Text}",
                OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
                ConversionOperatorDeclarationSyntax c => "conversion to " + c.Type,
                _ => null,
            };

            if (name is not null)
            {
                // From the first token after the attributes (doc comments are trivia: not counted) to the last.
                var first = node.ChildNodesAndTokens().First(n => !n.IsKind(SyntaxKind.AttributeList));
                var start = (first.IsNode ? first.AsNode()!.GetFirstToken() : first.AsToken()).GetLocation().GetLineSpan();
                var end = node.GetLocation().GetLineSpan();
                yield return (name, new FileLinePositionSpan(end.Path, start.StartLinePosition, end.EndLinePosition));
            }
        }

        // Top-level statements are the program's one method.
        var globals = root.ChildNodes().OfType<GlobalStatementSyntax>().ToList();
        if (globals.Count > 0)
        {
            var first = globals[0].GetLocation().GetLineSpan();
            yield return ("top-level statements", new FileLinePositionSpan(first.Path, first.StartLinePosition, globals[^1].GetLocation().GetLineSpan().EndLinePosition));
        }
    }

    private static List<string> SourceFiles() =>
        [.. Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string Relative(string file) => Path.GetRelativePath(Root, file);

    private static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiKeyManager.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"ApiKeyManager.slnx not found above {AppContext.BaseDirectory}.");
    }
}
