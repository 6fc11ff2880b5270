using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

// Interim registry; replaced by the full set of comparators.
public static class CaseComparators
{
    private static readonly Dictionary<string, ICaseComparator> ByKind = new(StringComparer.Ordinal) { ["close"] = new Interim() };

    public static IReadOnlyCollection<string> Kinds => ByKind.Keys;

    public static bool TryGet(string kind, out ICaseComparator comparator) => ByKind.TryGetValue(kind, out comparator!);

    public static ICaseComparator Get(string kind) => ByKind[kind];

    private sealed class Interim : ICaseComparator
    {
        public string Kind => "close";

        public IEnumerable<string> ValidateParameters(JsonObject parameters) => [];

        public ComparisonResult Compare(ComparisonInput input) =>
            JsonNode.DeepEquals(input.Expected, input.Actual.Value) ? ComparisonResult.Pass() : ComparisonResult.Fail(HintCategory.ValuesDiffer, "values differ");
    }
}
