using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class SignInvariantComparatorTests
{
    private readonly SignInvariantComparator _signInvariant = new();

    // Principal components of a 3-feature dataset, one per column, as the reference computed them.
    private const string Components = "[[0.57735027, 0.70710678], [0.57735027, -0.70710678], [0.57735027, 0]]";

    [Fact]
    public void SignInvariant_passes_a_vector_with_its_sign_flipped()
    {
        var result = ComparatorCall.Run(_signInvariant, "[0.6, -0.8]", "[-0.6, 0.8]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_fails_a_vector_with_only_some_signs_flipped()
    {
        var result = ComparatorCall.Run(_signInvariant, "[0.6, -0.8, 0]", "[-0.6, -0.8, 0]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[0]", result.Where);
        Assert.Equal(1.2, result.MaxDifference!.Value, 1e-12);
        Assert.StartsWith("values differ even up to sign: 1 entry differs with the better sign; largest at [0]: expected 0.6, got -0.6", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignInvariant_by_columns_passes_a_PCA_component_with_its_sign_flipped()
    {
        var flippedSecond = "[[0.57735027, -0.70710678], [0.57735027, 0.70710678], [0.57735027, 0]]";

        var result = ComparatorCall.Run(_signInvariant, Components, flippedSecond, """{"kind": "signInvariant", "columns": true}""");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_without_columns_fails_when_only_one_component_is_flipped()
    {
        var flippedSecond = "[[0.57735027, -0.70710678], [0.57735027, 0.70710678], [0.57735027, 0]]";

        var result = ComparatorCall.Run(_signInvariant, Components, flippedSecond);

        Assert.False(result.Passed);
    }

    [Fact]
    public void SignInvariant_by_columns_names_the_column_that_differs()
    {
        var wrongSecond = "[[-0.57735027, 0.5], [-0.57735027, -0.70710678], [-0.57735027, 0]]";

        var result = ComparatorCall.Run(_signInvariant, Components, wrongSecond, """{"columns": true}""");

        Assert.False(result.Passed);
        Assert.Equal("[0][1]", result.Where);
        Assert.StartsWith("1 of 2 columns differ even up to sign; largest in column 1 at [0][1]: expected 0.70710678, got 0.5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignInvariant_by_rows_flips_each_row_independently()
    {
        var result = ComparatorCall.Run(_signInvariant, "[[1, 2], [3, 4]]", "[[-1, -2], [3, 4]]", """{"rows": true}""");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_checks_the_shape_first()
    {
        var result = ComparatorCall.Run(_signInvariant, Components, "[0.57735027, 0.57735027, 0.57735027]", """{"columns": true}""");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a 3×2 matrix, got a vector of length 3", result.Message);
    }

    [Theory]
    [InlineData("[\"a\", 1]", HintCategory.WrongType)]
    [InlineData("null", HintCategory.WrongType)]
    [InlineData("{\"v\": [1, 2]}", HintCategory.WrongType)]
    [InlineData("[[1], 2]", HintCategory.WrongShape)]
    public void SignInvariant_fails_odd_actual_values_with_the_right_hint(string actual, HintCategory hint)
    {
        var result = ComparatorCall.Run(_signInvariant, "[1, 2]", actual);

        Assert.False(result.Passed);
        Assert.Equal(hint, result.Hint);
    }

    [Fact]
    public void SignInvariant_fails_NaN_with_either_sign()
    {
        var result = ComparatorCall.Run(_signInvariant, "[1, 2]", "[1, \"NaN\"]");

        Assert.False(result.Passed);
        Assert.Equal("[1]", result.Where);
        Assert.Null(result.MaxDifference);
    }

    [Fact]
    public void SignInvariant_matches_a_flipped_infinity()
    {
        var result = ComparatorCall.Run(_signInvariant, "[\"Infinity\", 1]", "[\"-Infinity\", -1]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_treats_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_signInvariant, "[0, 1]", "[-0.0, 1]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_passes_empty_vectors()
    {
        var result = ComparatorCall.Run(_signInvariant, "[]", "[]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void SignInvariant_by_columns_is_misconfigured_for_a_vector()
    {
        var result = ComparatorCall.Run(_signInvariant, "[1, 2]", "[1, 2]", """{"columns": true}""");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
    }

    [Theory]
    [InlineData("""{"columns": true, "rows": true}""", "rows: cannot be combined with columns")]
    [InlineData("""{"column": true}""", "column: unknown parameter (expected one of rtol, atol, columns, rows)")]
    [InlineData("""{"columns": 1}""", "columns: must be true or false")]
    public void SignInvariant_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_signInvariant, parameters);

        Assert.Equal([problem], problems);
    }
}
