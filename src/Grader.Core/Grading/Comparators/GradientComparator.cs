using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Checks an analytic gradient against a finite-difference gradient. The engine computes the
/// expected value (central differences of <c>function</c> around argument <c>arg</c> with step
/// <c>h</c>); here it is compared like <c>close</c>, with tolerances suited to finite differences.
/// </summary>
public sealed class GradientComparator : ICaseComparator
{
    public const double DefaultRtol = 1e-4;
    public const double DefaultAtol = 1e-6;
    public const double DefaultStep = 1e-6;

    private static readonly string[] Names = ["function", "arg", "h", "rtol", "atol"];

    public string Kind => "gradient";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, (i, settings) =>
    {
        var tolerance = new Tolerance(settings.Rtol, settings.Atol, EqualNan: false);
        var differences = ValueComparison.Compare(i.Expected, i.Actual.Value, tolerance);
        return ValueComparison.ToResult(differences, tolerance, $"finite-difference gradient check of {settings.Function} failed");
    });

    /// <summary>What the engine needs to compute the expected gradient.</summary>
    public sealed record Settings(string Function, int Arg, double Step, double Rtol, double Atol);

    /// <summary>The settings of a valid comparator object, or null with the problems.</summary>
    public static Settings? ReadSettings(JsonObject parameters, out IReadOnlyList<string> problems)
    {
        var reader = new ParameterReader(parameters, Names);
        var settings = Read(reader);
        problems = reader.Problems;
        return reader.Problems.Count == 0 ? settings : null;
    }

    private static Settings Read(ParameterReader p) => new(
        p.RequiredString("function") ?? "",
        p.Index("arg", 0),
        p.PositiveNumber("h", DefaultStep),
        p.NonNegativeNumber("rtol", DefaultRtol),
        p.NonNegativeNumber("atol", DefaultAtol));
}
