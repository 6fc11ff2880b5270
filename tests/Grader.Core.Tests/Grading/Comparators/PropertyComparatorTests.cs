using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class PropertyComparatorTests
{
    private readonly PropertyComparator _property = new();

    private static string Property(string name, string extra = "") => $$"""{"kind": "property", "property": "{{name}}"{{extra}}}""";

    [Fact]
    public void Property_needs_no_expected_value()
    {
        ICaseComparator comparator = _property;

        Assert.False(comparator.NeedsExpected);
    }

    [Fact]
    public void Property_columnsSumToOne_passes_a_Markov_transition_matrix()
    {
        // Column j holds the probabilities of moving from state j: each column sums to one.
        var markov = "[[0.9, 0.5, 0.2], [0.075, 0.25, 0.3], [0.025, 0.25, 0.5]]";

        var result = ComparatorCall.Run(_property, null, markov, Property("columnsSumToOne"));

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Property_columnsSumToOne_fails_a_matrix_whose_rows_sum_to_one()
    {
        var rowStochastic = "[[0.9, 0.075, 0.025], [0.5, 0.25, 0.25], [0.2, 0.3, 0.5]]";

        var columns = ComparatorCall.Run(_property, null, rowStochastic, Property("columnsSumToOne"));
        var rows = ComparatorCall.Run(_property, null, rowStochastic, Property("rowsSumToOne"));

        Assert.False(columns.Passed);
        Assert.Equal(HintCategory.PropertyViolated, columns.Hint);
        Assert.Equal("[:,0]", columns.Where);
        Assert.Equal(0.6, columns.MaxDifference!.Value, 1e-12);
        Assert.Equal("3 of 3 columns do not sum to 1; column 0 sums to 1.6, not 1 (tolerance 1.0e-8)", columns.Message);
        Assert.True(rows.Passed, rows.Message);
    }

    [Fact]
    public void Property_sums_to_one_accepts_a_probability_vector()
    {
        var result = ComparatorCall.Run(_property, null, "[0.25, 0.25, 0.5]", Property("columnsSumToOne"));

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Property_symmetric_passes_a_covariance_matrix_and_fails_another()
    {
        var symmetric = ComparatorCall.Run(_property, null, "[[2, -1], [-1, 2]]", Property("symmetric"));
        var skewed = ComparatorCall.Run(_property, null, "[[2, -1, 0], [-1, 2, 0], [0, 0.5, 1]]", Property("symmetric"));

        Assert.True(symmetric.Passed, symmetric.Message);
        Assert.False(skewed.Passed);
        Assert.Equal("[1][2]", skewed.Where);
        Assert.Equal("the matrix is not symmetric: [1][2] is 0 but [2][1] is 0.5", skewed.Message);
    }

    [Fact]
    public void Property_symmetric_fails_a_non_square_matrix_as_a_shape_problem()
    {
        var result = ComparatorCall.Run(_property, null, "[[1, 2, 3], [2, 1, 3]]", Property("symmetric"));

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a square matrix, got a 2×3 matrix", result.Message);
    }

    [Fact]
    public void Property_orthonormalColumns_passes_a_rotation_and_fails_a_scaled_one()
    {
        var rotation = "[[0.6, -0.8], [0.8, 0.6], [0, 0]]";
        var scaled = "[[1.2, -0.8], [1.6, 0.6], [0, 0]]";

        var passed = ComparatorCall.Run(_property, null, rotation, Property("orthonormalColumns", ", \"tol\": 1e-12"));
        var failed = ComparatorCall.Run(_property, null, scaled, Property("orthonormalColumns"));

        Assert.True(passed.Passed, passed.Message);
        Assert.False(failed.Passed);
        Assert.Equal("the columns are not orthonormal: column 0 has squared norm 4, not 1 (tolerance 1.0e-8)", failed.Message);
    }

    [Fact]
    public void Property_unitNorm_accepts_a_column_vector_and_reports_the_norm()
    {
        var unit = ComparatorCall.Run(_property, null, "[[0.6], [0.8]]", Property("unitNorm"));
        var longer = ComparatorCall.Run(_property, null, "[3, 4]", Property("unitNorm"));
        var matrix = ComparatorCall.Run(_property, null, "[[1, 0], [0, 1]]", Property("unitNorm"));

        Assert.True(unit.Passed, unit.Message);
        Assert.Equal("the norm is 5, not 1 (tolerance 1.0e-8)", longer.Message);
        Assert.Equal(4, longer.MaxDifference);
        Assert.Equal(HintCategory.WrongShape, matrix.Hint);
    }

    [Fact]
    public void Property_finite_fails_NaN_and_infinities_and_says_where()
    {
        var finite = ComparatorCall.Run(_property, null, "[[1, 2], [3, 4]]", Property("finite"));
        var broken = ComparatorCall.Run(_property, null, "[[1, \"NaN\"], [\"-Infinity\", 4]]", Property("finite"));

        Assert.True(finite.Passed, finite.Message);
        Assert.Equal("[0][1]", broken.Where);
        Assert.Equal("2 of 4 entries fail; first: entry [0][1] is not finite (NaN)", broken.Message);
    }

    [Fact]
    public void Property_nonNegative_allows_negative_zero_and_rounding_within_tol()
    {
        var result = ComparatorCall.Run(_property, null, "[0.5, -0.0, -1e-12]", Property("nonNegative"));
        var negative = ComparatorCall.Run(_property, null, "[0.5, -0.1]", Property("nonNegative"));
        var nan = ComparatorCall.Run(_property, null, "[\"NaN\"]", Property("nonNegative"));

        Assert.True(result.Passed, result.Message);
        Assert.Equal("entry [1] is negative (-0.1)", negative.Message);
        Assert.False(nan.Passed);
    }

    [Fact]
    public void Property_shape_checks_the_dimensions_exactly()
    {
        var column = ComparatorCall.Run(_property, null, "[[0], [0]]", Property("shape", ", \"shape\": [2, 1]"));
        var vector = ComparatorCall.Run(_property, null, "[0, 0]", Property("shape", ", \"shape\": [2, 1]"));
        var scalar = ComparatorCall.Run(_property, null, "\"0\"", Property("shape", ", \"shape\": []"));

        Assert.True(column.Passed, column.Message);
        Assert.Equal(HintCategory.WrongShape, vector.Hint);
        Assert.Equal("expected a 2×1 matrix, got a vector of length 2", vector.Message);
        Assert.Equal(HintCategory.WrongShape, scalar.Hint);
    }

    [Theory]
    [InlineData("\"matrix\"", HintCategory.WrongType)]
    [InlineData("null", HintCategory.WrongType)]
    [InlineData("{\"a\": 1}", HintCategory.WrongType)]
    [InlineData("[[1, 2], [3]]", HintCategory.WrongShape)]
    [InlineData("[1, \"x\"]", HintCategory.WrongType)]
    public void Property_fails_odd_values_with_the_right_hint(string actual, HintCategory hint)
    {
        var result = ComparatorCall.Run(_property, null, actual, Property("finite"));

        Assert.False(result.Passed);
        Assert.Equal(hint, result.Hint);
    }

    [Theory]
    [InlineData("""{"kind": "property"}""", "property: required")]
    [InlineData("""{"property": "rowsSumToOn"}""", "property: must be one of columnsSumToOne, rowsSumToOne, symmetric, orthonormalColumns, unitNorm, finite, nonNegative, shape")]
    [InlineData("""{"property": "shape"}""", "shape: required when property is \"shape\" (for example [3, 3] or [4])")]
    [InlineData("""{"property": "finite", "shape": [2]}""", "shape: only used when property is \"shape\"")]
    [InlineData("""{"property": "shape", "shape": [2, -1]}""", "shape: must be a list of non-negative integers")]
    [InlineData("""{"property": "symmetric", "tol": -1}""", "tol: must be a non-negative number")]
    [InlineData("""{"property": "symmetric", "rtol": 1}""", "rtol: unknown parameter (expected one of property, tol, shape)")]
    public void Property_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_property, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Property_finite_passes_an_empty_array_that_cannot_sum_to_one()
    {
        var finite = ComparatorCall.Run(_property, null, "[]", Property("finite"));
        var sums = ComparatorCall.Run(_property, null, "[]", Property("columnsSumToOne"));

        Assert.True(finite.Passed, finite.Message);
        Assert.False(sums.Passed);
        Assert.Equal("the entries sum to 0, not 1 (tolerance 1.0e-8)", sums.Message);
    }

    [Fact]
    public void Property_fails_a_ragged_matrix_with_a_clear_message()
    {
        var result = ComparatorCall.Run(_property, null, "[[0.5, 0.5], [1]]", Property("rowsSumToOne"));

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a rectangular array of numbers, got a ragged array", result.Message);
    }
}
