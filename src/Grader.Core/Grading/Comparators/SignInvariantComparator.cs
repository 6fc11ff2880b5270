using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Numbers equal up to sign, as eigenvectors and principal components are: the whole value up to
/// one global sign, or with <c>columns</c> (or <c>rows</c>) each column (row) up to its own sign.
/// </summary>
public sealed class SignInvariantComparator : ICaseComparator
{
    private static readonly string[] Names = ["rtol", "atol", "columns", "rows"];

    public string Kind => "signInvariant";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare);

    private sealed record Settings(Tolerance Tolerance, Grouping Grouping);

    private enum Grouping { Whole, Columns, Rows }

    private static Settings Read(ParameterReader p)
    {
        var tolerance = new Tolerance(p.NonNegativeNumber("rtol", CloseComparator.DefaultRtol), p.NonNegativeNumber("atol", CloseComparator.DefaultAtol), EqualNan: false);
        var columns = p.Bool("columns", false);
        var rows = p.Bool("rows", false);
        if (columns && rows)
        {
            p.Problem("rows", "cannot be combined with columns");
        }
        return new Settings(tolerance, columns ? Grouping.Columns : rows ? Grouping.Rows : Grouping.Whole);
    }

    private static ComparisonResult Compare(ComparisonInput input, Settings settings)
    {
        var expected = NumericArray.TryRead(input.Expected, out var expectedProblem, out _);
        if (expected is null)
        {
            return ComparisonResult.Fail(HintCategory.None, $"the signInvariant comparator needs numbers as the expected value: {expectedProblem}");
        }
        if (settings.Grouping != Grouping.Whole && expected.Shape.Length != 2)
        {
            return ComparisonResult.Fail(HintCategory.None, $"signInvariant with {(settings.Grouping == Grouping.Columns ? "columns" : "rows")} needs a matrix as the expected value, got {expected.Describe()}");
        }

        var actualNode = input.Actual.Value;
        var actualShape = PlainValues.Shape(actualNode);
        if (actualNode is JsonObject || actualNode is null || (actualShape is [] && !PlainValues.TryGetNumber(actualNode, out _)))
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"expected {expected.Describe()}, got {ValueComparison.DescribeActual(actualNode)}");
        }
        if (actualShape is null || !actualShape.AsSpan().SequenceEqual(expected.Shape))
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected {expected.Describe()}, got {PlainValues.Describe(actualShape)}");
        }
        var actual = NumericArray.TryRead(actualNode, out var actualProblem, out var hint);
        if (actual is null)
        {
            return ComparisonResult.Fail(hint, actualProblem);
        }

        var groups = Groups(expected, settings.Grouping);
        var verdicts = groups.Select(g => Judge(g, expected, actual, settings.Tolerance)).ToList();
        var failing = verdicts.Where(v => v.Failures > 0).ToList();
        if (failing.Count == 0)
        {
            double? largest = verdicts.Count == 0 ? null : verdicts.Max(v => v.Largest);
            return ComparisonResult.Pass() with { MaxDifference = largest is double l && double.IsFinite(l) ? l : null };
        }

        var worst = failing.MaxBy(v => double.IsNaN(v.WorstDifference) ? double.PositiveInfinity : v.WorstDifference)!;
        var e = worst.Sign * expected.Values[worst.WorstIndex];
        var a = actual.Values[worst.WorstIndex];
        var where = actual.PathOf(worst.WorstIndex);
        var leaf = new LeafMismatch(where, PlainValues.FromNumber(e), PlainValues.FromNumber(a), worst.WorstDifference, settings.Tolerance.For(e));
        var detail = ValueComparison.Detail(leaf, settings.Tolerance);
        var flipped = worst.Sign < 0 ? ", sign flipped" : "";
        var groupName = settings.Grouping switch
        {
            Grouping.Columns => "columns",
            Grouping.Rows => "rows",
            _ => null,
        };
        var message = groupName is null
            ? $"values differ even up to sign: {FeedbackText.Count(worst.Failures, "entry differs", "entries differ")} with the better sign{flipped}; largest at {ValueComparison.RootName(where)}: {detail}"
            : $"{failing.Count} of {verdicts.Count} {groupName} differ even up to sign; largest in {groupName[..^1]} {worst.Group} at {where}{flipped}: {detail}";
        double? maxDifference = double.IsFinite(worst.WorstDifference) ? worst.WorstDifference : null;
        return ComparisonResult.Fail(HintCategory.ValuesDiffer, message, maxDifference, where.Length == 0 ? null : where);
    }

    private sealed record Group(int Number, int[] Indices);

    private sealed record Verdict(int Group, int Sign, int Failures, int WorstIndex, double WorstDifference, double Largest);

    private static List<Group> Groups(NumericArray expected, Grouping grouping)
    {
        var (rows, columns) = (expected.Rows, expected.Columns);
        return grouping switch
        {
            Grouping.Columns => Enumerable.Range(0, columns).Select(c => new Group(c, Enumerable.Range(0, rows).Select(r => r * columns + c).ToArray())).ToList(),
            Grouping.Rows => Enumerable.Range(0, rows).Select(r => new Group(r, Enumerable.Range(0, columns).Select(c => r * columns + c).ToArray())).ToList(),
            _ => [new Group(0, Enumerable.Range(0, expected.Values.Length).ToArray())],
        };
    }

    // Tries both signs and keeps the one that explains the group better: fewer differing entries,
    // then the smaller largest difference.
    private static Verdict Judge(Group group, NumericArray expected, NumericArray actual, Tolerance tolerance)
    {
        var plus = Judge(group, expected, actual, tolerance, 1);
        if (plus.Failures == 0)
        {
            return plus;
        }
        var minus = Judge(group, expected, actual, tolerance, -1);
        if (minus.Failures != plus.Failures)
        {
            return minus.Failures < plus.Failures ? minus : plus;
        }
        return Rank(minus.WorstDifference) < Rank(plus.WorstDifference) ? minus : plus;
    }

    private static Verdict Judge(Group group, NumericArray expected, NumericArray actual, Tolerance tolerance, int sign)
    {
        int failures = 0, worstIndex = -1;
        double worst = double.NegativeInfinity, largest = 0;
        foreach (var k in group.Indices)
        {
            var e = sign * expected.Values[k];
            var a = actual.Values[k];
            var difference = Tolerance.Difference(e, a);
            if (double.IsFinite(difference))
            {
                largest = Math.Max(largest, difference);
            }
            if (!tolerance.Accepts(e, a))
            {
                failures++;
                if (worstIndex < 0 || Rank(difference) > worst)
                {
                    worst = Rank(difference);
                    worstIndex = k;
                }
            }
        }
        var worstDifference = worstIndex < 0 ? 0 : Tolerance.Difference(sign * expected.Values[worstIndex], actual.Values[worstIndex]);
        return new Verdict(group.Number, sign, failures, worstIndex, worstDifference, largest);
    }

    private static double Rank(double difference) => double.IsNaN(difference) ? double.PositiveInfinity : difference;
}
