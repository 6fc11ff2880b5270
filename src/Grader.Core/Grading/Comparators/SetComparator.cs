using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Like <c>multiset</c>, but duplicates do not count: every expected element must be close to some
/// element of the result and every element of the result close to some expected element.
/// </summary>
public sealed class SetComparator : ICaseComparator
{
    public string Kind => "set";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) =>
        GuardedComparison.Validate(parameters, UnorderedComparison.Names, UnorderedComparison.Read);

    public ComparisonResult Compare(ComparisonInput input) =>
        GuardedComparison.Run(input, UnorderedComparison.Names, UnorderedComparison.Read, (i, tolerance) =>
            UnorderedComparison.Compare(i.Expected, i.Actual.Value, tolerance, asSet: true));
}
