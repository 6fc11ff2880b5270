using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>A place where the actual value is not even built like the expected one.</summary>
internal sealed record StructureMismatch(string Where, string Message, HintCategory Hint);

/// <summary>A leaf that differs. Difference and tolerance are set when both sides are numbers.</summary>
internal sealed record LeafMismatch(string Where, JsonNode? Expected, JsonNode? Actual, double? Difference, double? Tolerance)
{
    public bool IsNumeric => Difference is not null;
}

internal sealed class ValueDifferences
{
    public const int StructureKept = 5;

    public List<StructureMismatch> Structure { get; } = [];
    public int StructureCount { get; set; }
    public int LeavesCompared { get; set; }
    public int LeavesDiffering { get; set; }
    /// <summary>The differing leaf with the largest difference (non-numeric leaves rank lowest, NaN highest).</summary>
    public LeafMismatch? Worst { get; set; }
    /// <summary>The largest finite difference over all numeric leaves, passing or not.</summary>
    public double? LargestDifference { get; set; }

    public bool Equal => StructureCount == 0 && LeavesDiffering == 0;
}

/// <summary>
/// Walks an expected and an actual plain value together: shapes and types first, then leaves.
/// Work is linear in the size of the values; paths are only built for what gets reported.
/// </summary>
internal static class ValueComparison
{
    private const int MaxDepth = 64;

    public static ValueDifferences Compare(JsonNode? expected, JsonNode? actual, Tolerance tolerance)
    {
        var walk = new Walk(tolerance);
        walk.Node(expected, actual, shapeChecked: false, depth: 0);
        return walk.Result;
    }

    /// <summary>A result in the house wording: "values differ at [2][3]: expected 1.5, got 1.4999 (…)".</summary>
    public static ComparisonResult ToResult(ValueDifferences d, Tolerance tolerance, string? subject = null)
    {
        var prefix = subject is null ? "" : subject + ": ";
        if (d.StructureCount > 0)
        {
            var first = d.Structure[0];
            var more = d.StructureCount > 1 ? $" (and {FeedbackText.Count(d.StructureCount - 1, "other difference", "other differences")} in structure)" : "";
            return ComparisonResult.Fail(first.Hint, prefix + At(first.Where) + first.Message + more, where: NullIfRoot(first.Where));
        }
        if (d.LeavesDiffering > 0 && d.Worst is { } worst)
        {
            var detail = Detail(worst, tolerance);
            var message = d.LeavesDiffering == 1
                ? $"values differ{(worst.Where.Length > 0 ? " at " + worst.Where : "")}: {detail}"
                : $"{d.LeavesDiffering} of {d.LeavesCompared} entries differ; largest at {RootName(worst.Where)}: {detail}";
            var max = worst.Difference is double diff && double.IsFinite(diff) ? diff : (double?)null;
            return ComparisonResult.Fail(HintCategory.ValuesDiffer, prefix + message, max, NullIfRoot(worst.Where));
        }
        return ComparisonResult.Pass() with { MaxDifference = d.LargestDifference };
    }

    /// <summary>"expected 1.5, got 1.4999 (difference 1.0e-4, tolerance 1.5e-5)".</summary>
    public static string Detail(LeafMismatch leaf, Tolerance tolerance)
    {
        if (!leaf.IsNumeric || !PlainValues.TryGetNumber(leaf.Expected, out var e) || !PlainValues.TryGetNumber(leaf.Actual, out var a))
        {
            return $"expected {PlainValues.Abbreviate(leaf.Expected, 80)}, got {PlainValues.Abbreviate(leaf.Actual, 80)}";
        }
        var text = $"expected {FeedbackText.Value(e)}, got {FeedbackText.Value(a)}";
        if (double.IsNaN(e) && double.IsNaN(a))
        {
            return text + " (NaN is not equal to NaN unless the case allows it)";
        }
        if (leaf.Difference is not double diff || !double.IsFinite(diff))
        {
            return text;
        }
        return tolerance.IsExact
            ? $"{text} (difference {FeedbackText.Small(diff)})"
            : $"{text} (difference {FeedbackText.Small(diff)}, tolerance {FeedbackText.Small(leaf.Tolerance ?? 0)})";
    }

    /// <summary>What a value is, for "expected …, got …": "a 4×4 matrix", "the string \"abc\"".</summary>
    public static string DescribeActual(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => PlainValues.Describe(PlainValues.Shape(node)),
        JsonObject => "an object",
        _ when PlainValues.TryGetNumber(node, out var x) => $"the number {FeedbackText.Value(x)}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string {PlainValues.Abbreviate(node, 60)}",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => $"the boolean {PlainValues.Abbreviate(node)}",
        _ => $"the value {PlainValues.Abbreviate(node, 60)}",
    };

    public static string DescribeExpected(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => PlainValues.Describe(PlainValues.Shape(node)),
        JsonObject => "an object",
        _ when PlainValues.TryGetNumber(node, out _) => "a number",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "a string",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "a value",
    };

    public static string RootName(string where) => where.Length == 0 ? "the top level" : where;

    private static string At(string where) => where.Length == 0 ? "" : $"at {where}: ";

    private static string? NullIfRoot(string where) => where.Length == 0 ? null : where;

    private sealed class Walk(Tolerance tolerance)
    {
        private readonly List<string> _path = [];

        public ValueDifferences Result { get; } = new();

        public void Node(JsonNode? expected, JsonNode? actual, bool shapeChecked, int depth)
        {
            if (depth > MaxDepth)
            {
                AddStructure($"the value is nested more than {MaxDepth} levels deep", HintCategory.WrongShape);
                return;
            }
            switch (expected)
            {
                case JsonArray e:
                    Array(e, actual, shapeChecked, depth);
                    break;
                case JsonObject e:
                    Object(e, actual, depth);
                    break;
                default:
                    Leaf(expected, actual);
                    break;
            }
        }

        private void Array(JsonArray expected, JsonNode? actual, bool shapeChecked, int depth)
        {
            if (actual is not JsonArray a)
            {
                var hint = PlainValues.TryGetNumber(actual, out _) ? HintCategory.WrongShape : HintCategory.WrongType;
                AddStructure($"expected {DescribeExpected(expected)}, got {DescribeActual(actual)}", hint);
                return;
            }
            var childrenChecked = shapeChecked;
            if (!shapeChecked)
            {
                var expectedShape = PlainValues.Shape(expected);
                if (expectedShape is not null)
                {
                    var actualShape = PlainValues.Shape(a);
                    if (actualShape is null || !actualShape.AsSpan().SequenceEqual(expectedShape))
                    {
                        var transposed = expectedShape is [var r, var c] && r != c && actualShape is [var r2, var c2] && r2 == c && c2 == r;
                        AddStructure($"expected {PlainValues.Describe(expectedShape)}, got {PlainValues.Describe(actualShape)}{(transposed ? " (transposed?)" : "")}", HintCategory.WrongShape);
                        return;
                    }
                    childrenChecked = true;
                }
                else if (expected.Count != a.Count)
                {
                    // A tuple or other ragged value: only the number of items can be checked here.
                    AddStructure($"expected {FeedbackText.Count(expected.Count, "item", "items")}, got {a.Count}", HintCategory.WrongShape);
                    return;
                }
            }
            for (var i = 0; i < expected.Count; i++)
            {
                _path.Add($"[{i}]");
                Node(expected[i], a[i], childrenChecked, depth + 1);
                _path.RemoveAt(_path.Count - 1);
            }
        }

        private void Object(JsonObject expected, JsonNode? actual, int depth)
        {
            if (actual is not JsonObject a)
            {
                AddStructure($"expected an object, got {DescribeActual(actual)}", HintCategory.WrongType);
                return;
            }
            var matched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, value) in expected)
            {
                var actualName = MatchingName(a, name, matched);
                _path.Add(Member(name));
                if (actualName is null)
                {
                    AddStructure($"missing property {FeedbackText.Clip(name, 40)}", HintCategory.WrongType);
                }
                else
                {
                    matched.Add(actualName);
                    Node(value, a[actualName], shapeChecked: false, depth + 1);
                }
                _path.RemoveAt(_path.Count - 1);
            }
            foreach (var (name, _) in a)
            {
                if (!matched.Contains(name))
                {
                    _path.Add(Member(name));
                    AddStructure($"unexpected property {FeedbackText.Clip(name, 40)}", HintCategory.WrongType);
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }

        // Exact names first; a name that differs only in case still matches, because the casing of
        // a serialised property is the serialiser's choice (camelCase) rather than the student's.
        // The object's own keys are searched, never ContainsKey: an object read with the web
        // defaults looks names up case-insensitively and would answer with the expected spelling.
        private static string? MatchingName(JsonObject actual, string name, HashSet<string> taken)
        {
            foreach (var (candidate, _) in actual)
            {
                if (string.Equals(candidate, name, StringComparison.Ordinal) && !taken.Contains(candidate))
                {
                    return candidate;
                }
            }
            string? found = null;
            foreach (var (candidate, _) in actual)
            {
                if (!taken.Contains(candidate) && string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
                {
                    if (found is not null)
                    {
                        return null;
                    }
                    found = candidate;
                }
            }
            return found;
        }

        private void Leaf(JsonNode? expected, JsonNode? actual)
        {
            if (PlainValues.TryGetNumber(expected, out var e))
            {
                if (!PlainValues.TryGetNumber(actual, out var a))
                {
                    var hint = actual is JsonArray ? HintCategory.WrongShape : HintCategory.WrongType;
                    AddStructure($"expected a number, got {DescribeActual(actual)}", hint);
                    return;
                }
                Numbers(expected, actual, e, a);
                return;
            }
            if (expected is null)
            {
                if (actual is not null)
                {
                    AddStructure($"expected null, got {DescribeActual(actual)}", HintCategory.WrongType);
                }
                return;
            }
            var expectedKind = ScalarKind(expected);
            var actualKind = ScalarKind(actual);
            if (expectedKind != actualKind || actual is null)
            {
                AddStructure($"expected {DescribeExpected(expected)}, got {DescribeActual(actual)}", HintCategory.WrongType);
                return;
            }
            Result.LeavesCompared++;
            if (!string.Equals(expected.ToJsonString(), actual.ToJsonString(), StringComparison.Ordinal))
            {
                Differs(expected, actual, null, null, double.NegativeInfinity);
            }
        }

        private void Numbers(JsonNode? expectedNode, JsonNode? actualNode, double e, double a)
        {
            Result.LeavesCompared++;
            var difference = Tolerance.Difference(e, a);
            if (double.IsFinite(difference) && (Result.LargestDifference is not double largest || difference > largest))
            {
                Result.LargestDifference = difference;
            }
            if (!tolerance.Accepts(e, a))
            {
                var rank = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                Differs(expectedNode, actualNode, difference, tolerance.For(e), rank);
            }
        }

        private double _worstRank = double.NegativeInfinity;

        private void Differs(JsonNode? expected, JsonNode? actual, double? difference, double? allowed, double rank)
        {
            Result.LeavesDiffering++;
            // The path is built only for a new worst leaf: a large result that differs everywhere
            // must not cost one string per entry.
            if (Result.Worst is null || rank > _worstRank)
            {
                _worstRank = rank;
                Result.Worst = new LeafMismatch(Path(), expected, actual, difference, allowed);
            }
        }

        private void AddStructure(string message, HintCategory hint)
        {
            Result.StructureCount++;
            if (Result.Structure.Count < ValueDifferences.StructureKept)
            {
                Result.Structure.Add(new StructureMismatch(Path(), message, hint));
            }
        }

        private string Path() => _path.Count == 0 ? "" : string.Concat(_path);

        private static JsonValueKind? ScalarKind(JsonNode? node) => node switch
        {
            JsonValue v => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : v.GetValueKind(),
            JsonArray => JsonValueKind.Array,
            JsonObject => JsonValueKind.Object,
            _ => null,
        };

        private static string Member(string fullName)
        {
            var name = FeedbackText.Clip(fullName, 40);
            var plain = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsLetterOrDigit(ch) || ch == '_');
            if (plain)
            {
                return "." + name;
            }
            var escaped = new StringBuilder("[\"");
            foreach (var ch in name)
            {
                escaped.Append(ch is '"' or '\\' ? "\\" + ch : ch.ToString());
            }
            return escaped.Append("\"]").ToString();
        }
    }
}
