using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// For simulations, whose exact output depends on the random generator: passes when the result is
/// within <c>k</c> standard errors of the known mean. Works on one number or on a vector of them.
/// </summary>
public sealed class StatisticalComparator : ICaseComparator
{
    public const double DefaultK = 4;

    private static readonly string[] Names = ["mean", "standardError", "k"];

    public string Kind => "statistical";

    public bool NeedsExpected => false;

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare);

    /// <summary>Means and standard errors of equal length; <c>Scalar</c> when the result is one number.</summary>
    private sealed record Settings(double[] Mean, double[] StandardError, double K, bool Scalar);

    private static Settings Read(ParameterReader p)
    {
        var mean = Numbers(p, "mean", x => double.IsFinite(x), "must be a finite number or a non-empty list of finite numbers");
        var standardError = Numbers(p, "standardError", x => double.IsFinite(x) && x > 0, "must be a positive number or a non-empty list of positive numbers");
        var k = p.PositiveNumber("k", DefaultK);
        var scalar = p.Raw("mean", out _) is not JsonArray;
        if (mean is null || standardError is null)
        {
            return new Settings([], [], k, scalar);
        }
        // One standard error may serve every entry.
        if (standardError.Length == 1 && p.Raw("standardError", out _) is not JsonArray)
        {
            standardError = [.. Enumerable.Repeat(standardError[0], mean.Length)];
        }
        else if (scalar || standardError.Length != mean.Length)
        {
            p.Problem("standardError", $"must be a number or a list as long as mean ({mean.Length})");
        }
        return new Settings(mean, standardError, k, scalar);
    }

    private static double[]? Numbers(ParameterReader p, string name, Func<double, bool> acceptable, string requirement)
    {
        var node = p.Raw(name, out var present);
        if (!present)
        {
            p.Problem(name, "required");
            return null;
        }
        double[]? values = node switch
        {
            JsonArray a when a.Count > 0 => [.. a.Select(x => PlainValues.TryGetNumber(x, out var v) ? v : double.NaN)],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && PlainValues.TryGetNumber(v, out var x) => [x],
            _ => null,
        };
        if (values is null || !values.All(acceptable))
        {
            p.Problem(name, requirement);
            return null;
        }
        return values;
    }

    private static ComparisonResult Compare(ComparisonInput input, Settings settings)
    {
        var node = input.Actual.Value;
        var n = settings.Mean.Length;
        double[] actual;
        if (settings.Scalar)
        {
            if (!PlainValues.TryGetNumber(node, out var x))
            {
                var hint = node is JsonArray ? HintCategory.WrongShape : HintCategory.WrongType;
                return ComparisonResult.Fail(hint, $"expected a number, got {ValueComparison.DescribeActual(node)}");
            }
            actual = [x];
        }
        else
        {
            if (node is not JsonArray)
            {
                var hint = PlainValues.TryGetNumber(node, out _) ? HintCategory.WrongShape : HintCategory.WrongType;
                return ComparisonResult.Fail(hint, $"expected a vector of length {n}, got {ValueComparison.DescribeActual(node)}");
            }
            var shape = PlainValues.Shape(node);
            if (shape is not [var length] || length != n)
            {
                return ComparisonResult.Fail(HintCategory.WrongShape, $"expected a vector of length {n}, got {PlainValues.Describe(shape)}");
            }
            var values = NumericArray.TryRead(node, out var problem, out var readHint);
            if (values is null)
            {
                return ComparisonResult.Fail(readHint, problem);
            }
            actual = values.Values;
        }

        int outside = 0, worst = -1;
        var worstZ = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            var z = Math.Abs(actual[i] - settings.Mean[i]) / settings.StandardError[i];
            if (!(z <= settings.K))
            {
                outside++;
                var rank = double.IsNaN(z) ? double.PositiveInfinity : z;
                if (worst < 0 || rank > worstZ)
                {
                    (worst, worstZ) = (i, rank);
                }
            }
        }
        if (outside == 0)
        {
            return ComparisonResult.Pass();
        }

        var a = actual[worst];
        var mean = settings.Mean[worst];
        var detail = double.IsFinite(a)
            ? $"{FeedbackText.Value(a)} is {FeedbackText.Ratio(worstZ)} standard errors from the expected {FeedbackText.Value(mean)} (allowed {FeedbackText.Value(settings.K)})"
            : $"got {FeedbackText.Value(a)}, expected a value within {FeedbackText.Value(settings.K)} standard errors of {FeedbackText.Value(mean)}";
        var where = settings.Scalar ? null : $"[{worst}]";
        var message = settings.Scalar
            ? detail
            : outside == 1 ? $"at {where}: {detail}" : $"{outside} of {n} entries are outside the allowed range; largest at {where}: {detail}";
        var difference = Math.Abs(a - mean);
        return ComparisonResult.Fail(HintCategory.OutsideStatisticalRange, message, double.IsFinite(difference) ? difference : null, where);
    }
}
