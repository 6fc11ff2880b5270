using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// The call must leave its arguments as they were (for example a row operation that must return a
/// copy). Compares the arguments sent with the arguments returned after the call, exactly.
/// </summary>
public sealed class UnchangedComparator : ICaseComparator
{
    private static readonly string[] Names = ["args"];

    public string Kind => "unchanged";

    public bool NeedsArgsAfter => true;

    public bool NeedsExpected => false;

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare);

    private static int[]? Read(ParameterReader p) => p.IndexList("args", allowEmpty: false);

    private static ComparisonResult Compare(ComparisonInput input, int[]? indices)
    {
        if (input.Actual.ArgsAfter is not { } after)
        {
            return ComparisonResult.Fail(HintCategory.None, "the arguments after the call were not returned, so mutation could not be checked");
        }
        if (after.Count != input.Args.Count)
        {
            return ComparisonResult.Fail(HintCategory.None, $"{FeedbackText.Count(input.Args.Count, "argument was", "arguments were")} sent but {after.Count} came back after the call");
        }
        indices ??= [.. Enumerable.Range(0, input.Args.Count)];
        var outOfRange = indices.Where(i => i >= input.Args.Count).ToList();
        if (outOfRange.Count > 0)
        {
            return ComparisonResult.Fail(HintCategory.None, $"the unchanged case is misconfigured: args lists argument {outOfRange[0]}, but the case has {FeedbackText.Count(input.Args.Count, "argument", "arguments")}");
        }

        // NaN stays NaN: an argument that held NaN before and after was not modified.
        var exact = Tolerance.Exact(equalNan: true);
        var changes = new List<(int Argument, ValueDifferences Differences)>();
        foreach (var i in indices.Distinct())
        {
            var differences = ValueComparison.Compare(input.Args[i], after[i], exact);
            if (!differences.Equal)
            {
                changes.Add((i, differences));
            }
        }
        if (changes.Count == 0)
        {
            return ComparisonResult.Pass();
        }
        var message = string.Join("; ", changes.Select(c => Describe(c.Argument, c.Differences)));
        var (firstArgument, first) = changes[0];
        var where = first.StructureCount > 0 ? first.Structure[0].Where : first.Worst?.Where ?? "";
        var maxDifference = first.StructureCount == 0 && first.Worst?.Difference is double d && double.IsFinite(d) ? d : (double?)null;
        return ComparisonResult.Fail(HintCategory.InputMutated, message, maxDifference, $"args[{firstArgument}]{where}");
    }

    private static string Describe(int argument, ValueDifferences d)
    {
        var prefix = $"argument {argument} was modified by the call";
        if (d.StructureCount > 0)
        {
            var s = d.Structure[0];
            // The walk words it as "expected (before) …, got (after) …".
            var change = s.Message.Replace("expected ", "it was ", StringComparison.Ordinal).Replace(", got ", ", now ", StringComparison.Ordinal);
            return s.Where.Length == 0 ? $"{prefix}: {change}" : $"{prefix}: at {s.Where}, {change}";
        }
        var w = d.Worst!;
        var place = w.Where.Length == 0 ? "it" : w.Where;
        var entry = $"{place} was {Text(w.Expected)}, now {Text(w.Actual)}";
        return d.LeavesDiffering == 1
            ? $"{prefix}: {entry}"
            : $"{prefix}: {d.LeavesDiffering} of {d.LeavesCompared} entries changed, for example {entry}";
    }

    private static string Text(JsonNode? node) =>
        PlainValues.TryGetNumber(node, out var x) ? FeedbackText.Value(x) : PlainValues.Abbreviate(node, 60);
}
