using System.Globalization;
using System.Text.RegularExpressions;

namespace Grader.Api.Submissions.Pages;

public sealed record DiffToken(string Text, bool Differs, bool Largest);

public sealed record ValueDiffResult(IReadOnlyList<DiffToken> Expected, IReadOnlyList<DiffToken> Got, bool Aligned);

// Lines up an expected and a got value (the engine's abbreviated JSON) entry by entry, so that the
// page can highlight the entries that differ. Only for display: the comparator's verdict, tolerance
// and "where" stay authoritative. When the shapes differ nothing is highlighted.
public static partial class ValueDiff
{
    public static ValueDiffResult Compare(string expected, string got)
    {
        var e = Tokens(expected);
        var g = Tokens(got);
        var eLeaves = e.Where(t => t.Leaf).ToList();
        var gLeaves = g.Where(t => t.Leaf).ToList();
        var aligned = eLeaves.Count == gLeaves.Count && Skeleton(e).SequenceEqual(Skeleton(g), StringComparer.Ordinal);
        if (!aligned)
        {
            return new(e.Select(t => new DiffToken(t.Text, false, false)).ToList(), g.Select(t => new DiffToken(t.Text, false, false)).ToList(), false);
        }
        var differs = new bool[eLeaves.Count];
        var largest = -1;
        var largestGap = -1.0;
        for (var i = 0; i < eLeaves.Count; i++)
        {
            var (isDifferent, gap) = Difference(eLeaves[i].Text, gLeaves[i].Text);
            differs[i] = isDifferent;
            if (isDifferent && gap > largestGap)
            {
                (largest, largestGap) = (i, gap);
            }
        }
        return new(Mark(e, differs, largest), Mark(g, differs, largest), true);
    }

    private static List<DiffToken> Mark(List<(string Text, bool Leaf)> tokens, bool[] differs, int largest)
    {
        var result = new List<DiffToken>(tokens.Count);
        var leaf = 0;
        foreach (var (text, isLeaf) in tokens)
        {
            result.Add(isLeaf ? new DiffToken(text, differs[leaf], leaf == largest) : new DiffToken(text, false, false));
            leaf += isLeaf ? 1 : 0;
        }
        return result;
    }

    private static (bool Differs, double Gap) Difference(string a, string b)
    {
        if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            if (x.Equals(y))
            {
                return (false, 0);
            }
            var gap = Math.Abs(x - y);
            // Rounding noise is not worth a highlight.
            return double.IsFinite(gap) && gap <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y)) ? (false, 0) : (true, double.IsNaN(gap) ? double.PositiveInfinity : gap);
        }
        return a == b ? (false, 0) : (true, double.PositiveInfinity);
    }

    private static IEnumerable<string> Skeleton(List<(string Text, bool Leaf)> tokens) =>
        tokens.Where(t => !t.Leaf && !string.IsNullOrWhiteSpace(t.Text)).Select(t => t.Text);

    private static List<(string Text, bool Leaf)> Tokens(string text) =>
        Token().Matches(text).Select(m => (m.Value, m.Groups["leaf"].Success)).ToList();

    [GeneratedRegex("""(?<leaf>"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|-?Infinity|NaN|[A-Za-z_][A-Za-z0-9_]*)|\s+|.""", RegexOptions.Singleline)]
    private static partial Regex Token();
}
