using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// The result must hold the expected elements in any order, each as often as expected. Numbers are
/// compared with <c>close</c> tolerances, other elements (vectors, tuples) with <c>close</c> as a whole.
/// </summary>
public sealed class MultisetComparator : ICaseComparator
{
    public string Kind => "multiset";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) =>
        GuardedComparison.Validate(parameters, UnorderedComparison.Names, UnorderedComparison.Read);

    public ComparisonResult Compare(ComparisonInput input) =>
        GuardedComparison.Run(input, UnorderedComparison.Names, UnorderedComparison.Read, (i, tolerance) =>
            UnorderedComparison.Compare(i.Expected, i.Actual.Value, tolerance, asSet: false));
}
