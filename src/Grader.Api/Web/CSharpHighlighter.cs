using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grader.Api.Web;

public sealed record CodeSpan(string Text, string? Kind);

// Splits C# into spans by lexical kind (keyword, string, number, comment), with Roslyn's own lexer.
// The text is never interpreted: callers encode each span as they write it.
public static class CSharpHighlighter
{
    public static IReadOnlyList<CodeSpan> Spans(string code)
    {
        var spans = new List<CodeSpan>();
        foreach (var token in SyntaxFactory.ParseTokens(code, options: new CSharpParseOptions(kind: SourceCodeKind.Script)))
        {
            AddTrivia(spans, token.LeadingTrivia);
            spans.Add(new CodeSpan(token.Text, KindOf(token)));
            AddTrivia(spans, token.TrailingTrivia);
        }
        return spans;
    }

    // The same spans cut at line ends, for a listing with one numbered row per line.
    public static IReadOnlyList<IReadOnlyList<CodeSpan>> Lines(string code)
    {
        var lines = new List<IReadOnlyList<CodeSpan>>();
        var current = new List<CodeSpan>();
        foreach (var span in Spans(code.ReplaceLineEndings("\n")))
        {
            var parts = span.Text.Split('\n');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    lines.Add(current);
                    current = [];
                }
                if (parts[i].Length > 0)
                {
                    current.Add(span with { Text = parts[i] });
                }
            }
        }
        lines.Add(current);
        return lines;
    }

    private static void AddTrivia(List<CodeSpan> spans, SyntaxTriviaList trivia)
    {
        foreach (var t in trivia)
        {
            var kind = t.Kind() switch
            {
                SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                    or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia => "comment",
                _ when t.IsDirective => "directive",
                _ => null,
            };
            spans.Add(new CodeSpan(t.ToFullString(), kind));
        }
    }

    private static string? KindOf(SyntaxToken token)
    {
        var kind = token.Kind();
        if (SyntaxFacts.IsKeywordKind(kind) || (kind == SyntaxKind.IdentifierToken && SyntaxFacts.GetContextualKeywordKind(token.ValueText) is SyntaxKind.VarKeyword))
        {
            return "keyword";
        }
        return kind switch
        {
            SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringStartToken
                or SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedStringTextToken
                or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken => "string",
            SyntaxKind.NumericLiteralToken => "number",
            _ => null,
        };
    }
}
