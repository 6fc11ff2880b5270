using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// numpy <c>allclose</c> with an exact shape check: <c>|a − e| ≤ atol + rtol·|e|</c> element-wise.
/// Non-numeric leaves must be equal; objects are compared property by property.
/// </summary>
public sealed class CloseComparator : ICaseComparator
{
    public const double DefaultRtol = 1e-5;
    public const double DefaultAtol = 1e-8;

    private static readonly string[] Names = ["rtol", "atol", "equalNan"];

    public string Kind => "close";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, (i, tolerance) =>
        ValueComparison.ToResult(ValueComparison.Compare(i.Expected, i.Actual.Value, tolerance), tolerance));

    private static Tolerance Read(ParameterReader p) => new(
        p.NonNegativeNumber("rtol", DefaultRtol),
        p.NonNegativeNumber("atol", DefaultAtol),
        p.Bool("equalNan", false));
}
