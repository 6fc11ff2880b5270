using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Checks a property of the result instead of comparing it with an expected value: stochastic
/// matrices, symmetry, orthonormal columns, unit norm, finiteness, non-negativity or a shape.
/// </summary>
public sealed class PropertyComparator : ICaseComparator
{
    public const double DefaultTolerance = 1e-8;

    public static readonly IReadOnlyList<string> Properties =
        ["columnsSumToOne", "rowsSumToOne", "symmetric", "orthonormalColumns", "unitNorm", "finite", "nonNegative", "shape"];

    private static readonly string[] Names = ["property", "tol", "shape"];

    // QᵀQ costs c²·r operations.
    private const long MaxOrthonormalWork = 50_000_000;

    public string Kind => "property";

    public bool NeedsExpected => false;

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare);

    private sealed record Settings(string Property, double Tol, int[]? Shape);

    private static Settings Read(ParameterReader p)
    {
        var property = p.RequiredString("property");
        if (property is not null && !Properties.Contains(property))
        {
            p.Problem("property", $"must be one of {string.Join(", ", Properties)}");
        }
        var tol = p.NonNegativeNumber("tol", DefaultTolerance);
        var shape = p.IndexList("shape", allowEmpty: true);
        if (property == "shape" && !p.Has("shape"))
        {
            p.Problem("shape", "required when property is \"shape\" (for example [3, 3] or [4])");
        }
        if (property != "shape" && p.Has("shape"))
        {
            p.Problem("shape", "only used when property is \"shape\"");
        }
        return new Settings(property ?? "", tol, shape);
    }

    private static ComparisonResult Compare(ComparisonInput input, Settings settings)
    {
        var node = input.Actual.Value;
        if (settings.Property == "shape")
        {
            return CheckShape(node, settings.Shape ?? []);
        }
        if (node is null or JsonObject || (node is JsonValue && !PlainValues.TryGetNumber(node, out _)))
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"expected numbers, got {ValueComparison.DescribeActual(node)}");
        }
        var values = NumericArray.TryRead(node, out var problem, out var hint);
        if (values is null)
        {
            return ComparisonResult.Fail(hint, problem);
        }
        var tol = settings.Tol;
        return settings.Property switch
        {
            "columnsSumToOne" => SumsToOne(values, tol, columns: true),
            "rowsSumToOne" => SumsToOne(values, tol, columns: false),
            "symmetric" => Symmetric(values, tol),
            "orthonormalColumns" => OrthonormalColumns(values, tol),
            "unitNorm" => UnitNorm(values, tol),
            "finite" => EveryEntry(values, double.IsFinite, "is not finite"),
            "nonNegative" => EveryEntry(values, x => x >= -tol, "is negative"),
            _ => ComparisonResult.Fail(HintCategory.None, $"unknown property {settings.Property}"),
        };
    }

    private static ComparisonResult CheckShape(JsonNode? node, int[] expected)
    {
        var shape = PlainValues.Shape(node);
        var matches = shape is not null && shape.AsSpan().SequenceEqual(expected)
            && (expected.Length > 0 || PlainValues.TryGetNumber(node, out _));
        return matches
            ? ComparisonResult.Pass()
            : ComparisonResult.Fail(HintCategory.WrongShape, $"expected {PlainValues.Describe(expected)}, got {ValueComparison.DescribeActual(node)}");
    }

    // A vector counts as one column (or one row): a probability vector sums to one either way.
    private static ComparisonResult SumsToOne(NumericArray m, double tol, bool columns)
    {
        if (m.Shape.Length is not (1 or 2))
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected a matrix, got {m.Describe()}");
        }
        var groupCount = m.Shape.Length == 1 ? 1 : columns ? m.Columns : m.Rows;
        var length = m.Shape.Length == 1 ? m.Values.Length : columns ? m.Rows : m.Columns;
        var failures = new List<(int Index, double Sum)>();
        for (var g = 0; g < groupCount; g++)
        {
            var sum = 0.0;
            for (var k = 0; k < length; k++)
            {
                sum += m.Shape.Length == 1 ? m.Values[k] : columns ? m[k, g] : m[g, k];
            }
            if (!(Math.Abs(sum - 1) <= tol))
            {
                failures.Add((g, sum));
            }
        }
        if (failures.Count == 0)
        {
            return ComparisonResult.Pass();
        }
        var name = columns ? "column" : "row";
        var worst = failures.MaxBy(f => double.IsNaN(f.Sum) ? double.PositiveInfinity : Math.Abs(f.Sum - 1));
        var what = m.Shape.Length == 1 ? "the entries sum" : $"{name} {worst.Index} sums";
        var count = failures.Count > 1 ? $"{failures.Count} of {groupCount} {name}s do not sum to 1; " : "";
        var where = m.Shape.Length == 1 ? null : columns ? $"[:,{worst.Index}]" : $"[{worst.Index}]";
        return Violated($"{count}{what} to {FeedbackText.Computed(worst.Sum)}, not 1 (tolerance {FeedbackText.Small(tol)})", Math.Abs(worst.Sum - 1), where);
    }

    private static ComparisonResult Symmetric(NumericArray m, double tol)
    {
        if (m.Shape is not [var n, var c] || n != c)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected a square matrix, got {m.Describe()}");
        }
        int failures = 0, worstRow = 0, worstColumn = 0;
        var worst = -1.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var (x, y) = (m[i, j], m[j, i]);
                // Relative for large entries: a product like XᵀX rounds differently on each side.
                var difference = Tolerance.Difference(x, y);
                if (!(difference <= tol * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)))))
                {
                    failures++;
                    var rank = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                    if (rank > worst)
                    {
                        (worst, worstRow, worstColumn) = (rank, i, j);
                    }
                }
            }
        }
        if (failures == 0)
        {
            return ComparisonResult.Pass();
        }
        var count = failures > 1 ? $"{failures} pairs of entries differ; " : "";
        var detail = $"[{worstRow}][{worstColumn}] is {FeedbackText.Value(m[worstRow, worstColumn])} but [{worstColumn}][{worstRow}] is {FeedbackText.Value(m[worstColumn, worstRow])}";
        return Violated($"the matrix is not symmetric: {count}{detail}", double.IsFinite(worst) ? worst : null, $"[{worstRow}][{worstColumn}]");
    }

    private static ComparisonResult OrthonormalColumns(NumericArray m, double tol)
    {
        if (m.Shape is not [var rows, var columns])
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected a matrix, got {m.Describe()}");
        }
        if ((long)columns * columns * rows > MaxOrthonormalWork)
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"the matrix is too large to check for orthonormal columns ({m.Describe()})");
        }
        int failures = 0, worstI = 0, worstJ = 0;
        double worst = -1, worstValue = 0;
        for (var i = 0; i < columns; i++)
        {
            for (var j = i; j < columns; j++)
            {
                var dot = 0.0;
                for (var k = 0; k < rows; k++)
                {
                    dot += m[k, i] * m[k, j];
                }
                var target = i == j ? 1.0 : 0.0;
                var deviation = Math.Abs(dot - target);
                if (!(deviation <= tol))
                {
                    failures++;
                    var rank = double.IsNaN(deviation) ? double.PositiveInfinity : deviation;
                    if (rank > worst)
                    {
                        (worst, worstI, worstJ, worstValue) = (rank, i, j, dot);
                    }
                }
            }
        }
        if (failures == 0)
        {
            return ComparisonResult.Pass();
        }
        var detail = worstI == worstJ
            ? $"column {worstI} has squared norm {FeedbackText.Computed(worstValue)}, not 1"
            : $"columns {worstI} and {worstJ} have dot product {FeedbackText.Computed(worstValue)}, not 0";
        var count = failures > 1 ? $"{failures} entries of QᵀQ differ from the identity; " : "";
        return Violated($"the columns are not orthonormal: {count}{detail} (tolerance {FeedbackText.Small(tol)})", double.IsFinite(worst) ? worst : null, $"[:,{worstJ}]");
    }

    // A vector, or an n×1 / 1×n matrix as the course's column vectors are.
    private static ComparisonResult UnitNorm(NumericArray m, double tol)
    {
        if (m.Shape is not ([_] or [_, 1] or [1, _]))
        {
            return ComparisonResult.Fail(HintCategory.WrongShape, $"expected a vector, got {m.Describe()}");
        }
        var norm = Math.Sqrt(m.Values.Sum(x => x * x));
        return Math.Abs(norm - 1) <= tol
            ? ComparisonResult.Pass()
            : Violated($"the norm is {FeedbackText.Computed(norm)}, not 1 (tolerance {FeedbackText.Small(tol)})", double.IsFinite(norm) ? Math.Abs(norm - 1) : null, null);
    }

    private static ComparisonResult EveryEntry(NumericArray m, Func<double, bool> holds, string violation)
    {
        var bad = Enumerable.Range(0, m.Values.Length).Where(k => !holds(m.Values[k])).ToList();
        if (bad.Count == 0)
        {
            return ComparisonResult.Pass();
        }
        var where = m.PathOf(bad[0]);
        var count = bad.Count > 1 ? $"{bad.Count} of {m.Values.Length} entries fail; first: " : "";
        return Violated($"{count}entry {ValueComparison.RootName(where)} {violation} ({FeedbackText.Value(m.Values[bad[0]])})", null, where.Length == 0 ? null : where);
    }

    private static ComparisonResult Violated(string message, double? size, string? where) =>
        ComparisonResult.Fail(HintCategory.PropertyViolated, message, size, where);
}
