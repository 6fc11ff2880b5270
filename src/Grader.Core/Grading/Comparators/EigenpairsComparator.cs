using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Checks <c>[values, vectors]</c> as numpy's <c>eig</c> returns them (eigenvectors in the columns)
/// without depending on LAPACK's order or signs: the eigenvalues must match the reference's as a
/// multiset, and each column v must have ‖v‖₂ = 1 and satisfy A·v = λ·v for its own eigenvalue λ.
/// Real eigenvalues only.
/// </summary>
public sealed class EigenpairsComparator : ICaseComparator
{
    public const double DefaultTolerance = 1e-6;

    private static readonly string[] Names = ["matrixArg", "tol"];

    // Each residual costs n² operations, n of them: n³ in all.
    private const int MaxSize = 500;

    public string Kind => "eigenpairs";

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare);

    private sealed record Settings(int MatrixArg, double Tol);

    private static Settings Read(ParameterReader p) => new(p.Index("matrixArg", 0), p.NonNegativeNumber("tol", DefaultTolerance));

    private static ComparisonResult Compare(ComparisonInput input, Settings settings)
    {
        if (settings.MatrixArg >= input.Args.Count)
        {
            return Misconfigured($"matrixArg {settings.MatrixArg} is out of range: the case has {FeedbackText.Count(input.Args.Count, "argument", "arguments")}");
        }
        var a = NumericArray.TryRead(input.Args[settings.MatrixArg], out var matrixProblem, out _);
        if (a is null || a.Shape is not [var n, var n2] || n != n2)
        {
            return Misconfigured($"argument {settings.MatrixArg} must be a square matrix of numbers ({(a is null ? matrixProblem : "got " + a.Describe())})");
        }
        if (n > MaxSize)
        {
            return Misconfigured($"the matrix is too large to check ({n}×{n}; at most {MaxSize}×{MaxSize})");
        }
        if (input.Expected is not JsonArray { Count: 2 } expectedPair)
        {
            return Misconfigured("the expected value must be [values, vectors]");
        }
        var expectedValues = NumericArray.TryRead(expectedPair[0], out var expectedProblem, out _);
        if (expectedValues is null || expectedValues.Shape is not [var m] || m != n)
        {
            var why = expectedValues is null ? expectedProblem : "got " + expectedValues.Describe();
            return Misconfigured($"the expected eigenvalues must be {n} real numbers ({why}); this comparator handles real eigenvalues only");
        }

        var actualNode = input.Actual.Value;
        if (actualNode is not JsonArray actualPair)
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"expected [values, vectors], got {ValueComparison.DescribeActual(actualNode)}");
        }
        if (actualPair.Count != 2)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected [values, vectors] (2 items), got {FeedbackText.Count(actualPair.Count, "item", "items")}");
        }
        var valuesShape = PlainValues.Shape(actualPair[0]);
        if (valuesShape is not [var count] || count != n)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected the eigenvalues as a vector of length {n}, got {ValueComparison.DescribeActual(actualPair[0])}");
        }
        var values = NumericArray.TryRead(actualPair[0], out var valuesProblem, out _);
        if (values is null)
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"the eigenvalues must be real numbers: {valuesProblem} (this comparator handles real eigenvalues only)");
        }
        var vectorsShape = PlainValues.Shape(actualPair[1]);
        if (vectorsShape is not [var rows, var columns] || rows != n || columns != n)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected the eigenvectors as a {n}×{n} matrix (one eigenvector per column), got {ValueComparison.DescribeActual(actualPair[1])}");
        }
        var vectors = NumericArray.TryRead(actualPair[1], out var vectorsProblem, out _);
        if (vectors is null)
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"the eigenvectors must be real numbers: {vectorsProblem}");
        }

        return CheckValues(expectedValues.Values, values.Values, settings.Tol)
            ?? CheckVectors(a, values.Values, vectors, settings.Tol);
    }

    private static ComparisonResult? CheckValues(double[] expected, double[] actual, double tol)
    {
        // Relative for large eigenvalues, absolute near zero.
        var tolerance = new Tolerance(tol, tol, EqualNan: false);
        var match = UnorderedMatching.MatchNumbers(expected, actual, tolerance);
        if (match.All(j => j >= 0))
        {
            return null;
        }
        var used = new bool[actual.Length];
        foreach (var j in match.Where(j => j >= 0))
        {
            used[j] = true;
        }
        var firstUnexpected = Array.IndexOf(used, false);
        var message = $"the eigenvalues differ: expected {List(expected)} in any order, got {List(actual)}";
        return ComparisonResult.Fail(HintCategory.ValuesDiffer, message, where: firstUnexpected >= 0 ? $"[0][{firstUnexpected}]" : null);
    }

    private static ComparisonResult CheckVectors(NumericArray a, double[] values, NumericArray vectors, double tol)
    {
        var n = values.Length;
        var normA = Math.Sqrt(a.Values.Sum(x => x * x));
        var allowedResidual = tol * Math.Max(1, normA);
        var problems = new List<(string Text, double Size, int Column)>();
        double largest = 0;
        for (var j = 0; j < n; j++)
        {
            var v = Enumerable.Range(0, n).Select(i => vectors[i, j]).ToArray();
            if (!v.All(double.IsFinite))
            {
                problems.Add(($"column {j} contains a value that is not finite", double.PositiveInfinity, j));
                continue;
            }
            var norm = Math.Sqrt(v.Sum(x => x * x));
            if (!(Math.Abs(norm - 1) <= tol))
            {
                problems.Add(($"column {j} is not normalised: ‖v‖ = {FeedbackText.Computed(norm)} (expected 1 within {FeedbackText.Small(tol)})", Math.Abs(norm - 1), j));
                continue;
            }
            var residual = Residual(a, v, values[j]);
            largest = Math.Max(largest, double.IsFinite(residual) ? residual : 0);
            if (!(residual <= allowedResidual))
            {
                problems.Add(($"column {j} is not an eigenvector of A for λ = {FeedbackText.Value(values[j])}: ‖A·v − λ·v‖ = {FeedbackText.Small(residual)} (allowed {FeedbackText.Small(allowedResidual)})", residual, j));
            }
        }
        if (problems.Count == 0)
        {
            return ComparisonResult.Pass() with { MaxDifference = largest };
        }
        var worst = problems.MaxBy(p => double.IsNaN(p.Size) ? double.PositiveInfinity : p.Size);
        var shown = string.Join("; ", problems.Take(3).Select(p => p.Text));
        var more = problems.Count > 3 ? $"; and {problems.Count - 3} more columns" : "";
        return ComparisonResult.Fail(
            HintCategory.PropertyViolated,
            shown + more,
            double.IsFinite(worst.Size) ? worst.Size : null,
            $"[1][:,{worst.Column}]");
    }

    private static double Residual(NumericArray a, double[] v, double lambda)
    {
        var n = v.Length;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var av = 0.0;
            for (var k = 0; k < n; k++)
            {
                av += a[i, k] * v[k];
            }
            var r = av - lambda * v[i];
            sum += r * r;
        }
        return Math.Sqrt(sum);
    }

    private static string List(double[] values) =>
        "[" + string.Join(", ", values.Take(10).Select(FeedbackText.Value)) + (values.Length > 10 ? ", …" : "") + "]";

    private static ComparisonResult Misconfigured(string problem) =>
        ComparisonResult.Fail(HintCategory.None, $"the eigenpairs case is misconfigured: {problem}");
}
