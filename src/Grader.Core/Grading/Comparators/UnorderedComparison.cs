using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>The comparison behind <c>multiset</c> and <c>set</c>: arrays equal in any order.</summary>
internal static class UnorderedComparison
{
    // Pairwise comparison of non-numeric elements costs n·m element comparisons; beyond this many
    // leaf comparisons the case fails rather than stalling the grader.
    private const long MaxPairwiseWork = 20_000_000;
    private const int ListedElements = 5;

    public static readonly string[] Names = ["rtol", "atol"];

    public static Tolerance Read(ParameterReader p) => new(
        p.NonNegativeNumber("rtol", CloseComparator.DefaultRtol),
        p.NonNegativeNumber("atol", CloseComparator.DefaultAtol),
        EqualNan: false);

    public static ComparisonResult Compare(JsonNode? expectedNode, JsonNode? actualNode, Tolerance tolerance, bool asSet)
    {
        var kind = asSet ? "set" : "multiset";
        if (expectedNode is not JsonArray expected)
        {
            return ComparisonResult.Fail(HintCategory.None, $"the {kind} comparator needs an array as the expected value, got {ValueComparison.DescribeActual(expectedNode)}");
        }
        if (actualNode is not JsonArray actual)
        {
            var hint = PlainValues.TryGetNumber(actualNode, out _) ? HintCategory.WrongShape : HintCategory.WrongType;
            return ComparisonResult.Fail(hint, $"expected an array of {FeedbackText.Count(expected.Count, "element", "elements")} in any order, got {ValueComparison.DescribeActual(actualNode)}");
        }
        if (!asSet && expected.Count != actual.Count)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected {FeedbackText.Count(expected.Count, "element", "elements")} (in any order), got {actual.Count}");
        }

        var expectedNumbers = Numbers(expected);
        var actualNumbers = Numbers(actual);
        if (expectedNumbers is not null && actualNumbers is null)
        {
            var index = Enumerable.Range(0, actual.Count).First(j => !PlainValues.TryGetNumber(actual[j], out _));
            var hint = actual[index] is JsonArray ? HintCategory.WrongShape : HintCategory.WrongType;
            return ComparisonResult.Fail(hint, $"expected numbers as elements, but element [{index}] is {ValueComparison.DescribeActual(actual[index])}", where: $"[{index}]");
        }
        bool[] expectedFound, actualUsed;
        double? maxDifference = null;
        if (expectedNumbers is not null && actualNumbers is not null)
        {
            (expectedFound, actualUsed) = asSet ? NumberCoverage(expectedNumbers, actualNumbers, tolerance) : NumberMatching(expectedNumbers, actualNumbers, tolerance);
            maxDifference = asSet ? null : SortedPairingDifference(expectedNumbers, actualNumbers);
        }
        else
        {
            if (PairwiseWork(expected, actual) > MaxPairwiseWork)
            {
                return ComparisonResult.Fail(HintCategory.WrongShape, $"the result has too many elements to compare in any order ({actual.Count} against {expected.Count} expected)");
            }
            bool Accepts(int i, int j) => ValueComparison.Compare(expected[i], actual[j], tolerance).Equal;
            (expectedFound, actualUsed) = asSet ? GeneralCoverage(expected.Count, actual.Count, Accepts) : GeneralMatching(expected.Count, actual.Count, Accepts);
        }

        var missing = Enumerable.Range(0, expected.Count).Where(i => !expectedFound[i]).ToList();
        var unexpected = Enumerable.Range(0, actual.Count).Where(j => !actualUsed[j]).ToList();
        if (missing.Count == 0 && unexpected.Count == 0)
        {
            return ComparisonResult.Pass() with { MaxDifference = maxDifference };
        }

        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"missing {List(expected, missing)}");
        }
        if (unexpected.Count > 0)
        {
            parts.Add($"unexpected {List(actual, unexpected)}");
        }
        var summary = asSet
            ? "the elements differ as sets"
            : $"{missing.Count} of {expected.Count} expected elements have no match in the result (in any order)";
        var where = unexpected.Count > 0 ? $"[{unexpected[0]}]" : null;
        return ComparisonResult.Fail(HintCategory.ValuesDiffer, $"{summary}: {string.Join("; ", parts)}", maxDifference, where);
    }

    private static double[]? Numbers(JsonArray array)
    {
        var values = new double[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (!PlainValues.TryGetNumber(array[i], out values[i]))
            {
                return null;
            }
        }
        return values;
    }

    private static (bool[], bool[]) NumberMatching(double[] expected, double[] actual, Tolerance tolerance)
    {
        var match = UnorderedMatching.MatchNumbers(expected, actual, tolerance);
        return MatchedFlags(match, actual.Length);
    }

    private static (bool[], bool[]) NumberCoverage(double[] expected, double[] actual, Tolerance tolerance) =>
        (UnorderedMatching.CoveredByActual(expected, actual, tolerance), UnorderedMatching.CoveredByExpected(expected, actual, tolerance));

    private static (bool[], bool[]) GeneralMatching(int expectedCount, int actualCount, Func<int, int, bool> accepts) =>
        MatchedFlags(UnorderedMatching.MatchGeneral(expectedCount, actualCount, accepts), actualCount);

    private static (bool[], bool[]) GeneralCoverage(int expectedCount, int actualCount, Func<int, int, bool> accepts)
    {
        var expectedFound = new bool[expectedCount];
        var actualUsed = new bool[actualCount];
        for (var i = 0; i < expectedCount; i++)
        {
            for (var j = 0; j < actualCount; j++)
            {
                if (accepts(i, j))
                {
                    expectedFound[i] = true;
                    actualUsed[j] = true;
                }
            }
        }
        return (expectedFound, actualUsed);
    }

    private static (bool[], bool[]) MatchedFlags(int[] match, int actualCount)
    {
        var actualUsed = new bool[actualCount];
        foreach (var j in match.Where(j => j >= 0))
        {
            actualUsed[j] = true;
        }
        return (match.Select(j => j >= 0).ToArray(), actualUsed);
    }

    // Pairing both sorted lists minimises the largest difference, so this is the honest
    // "how far off" for same-length lists of finite numbers.
    private static double? SortedPairingDifference(double[] expected, double[] actual)
    {
        if (expected.Length != actual.Length || expected.Length == 0 || !expected.All(double.IsFinite) || !actual.All(double.IsFinite))
        {
            return null;
        }
        var e = expected.Order().ToArray();
        var a = actual.Order().ToArray();
        var largest = e.Zip(a, (x, y) => Math.Abs(x - y)).Max();
        return double.IsFinite(largest) ? largest : null;
    }

    private static long PairwiseWork(JsonArray expected, JsonArray actual)
    {
        var elementSize = Math.Max(1, expected.Count > 0 ? Size(expected[0], budget: 1_000_000) : 1);
        return (long)expected.Count * actual.Count * elementSize;
    }

    private static int Size(JsonNode? node, int budget) => node switch
    {
        JsonArray a => Math.Min(budget, 1 + a.Sum(x => Size(x, budget))),
        JsonObject o => Math.Min(budget, 1 + o.Sum(p => Size(p.Value, budget))),
        _ => 1,
    };

    private static string List(JsonArray array, List<int> indices)
    {
        var shown = indices.Take(ListedElements).Select(i => PlainValues.Abbreviate(array[i], 60));
        var more = indices.Count > ListedElements ? $" and {indices.Count - ListedElements} more" : "";
        return string.Join(", ", shown) + more;
    }
}
