using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>Deep equality: numbers exactly (so −0 equals 0), everything else as written.</summary>
public sealed class ExactComparator : ICaseComparator
{
    private static readonly string[] Names = ["equalNan"];

    public string Kind => "exact";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, (i, tolerance) =>
        ValueComparison.ToResult(ValueComparison.Compare(i.Expected, i.Actual.Value, tolerance), tolerance));

    private static Tolerance Read(ParameterReader p) => Tolerance.Exact(p.Bool("equalNan", false));
}
