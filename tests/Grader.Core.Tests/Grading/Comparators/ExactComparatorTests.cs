using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class ExactComparatorTests
{
    private readonly ExactComparator _exact = new();

    [Fact]
    public void Exact_passes_deeply_equal_values()
    {
        var value = """[[1, 2], {"name": "x", "ok": true, "v": [0.5]}, null]""";

        var result = ComparatorCall.Run(_exact, value, value);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Exact_fails_the_smallest_numeric_difference()
    {
        var result = ComparatorCall.Run(_exact, "[0.3]", "[0.30000000000000004]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[0]", result.Where);
        Assert.Equal("values differ at [0]: expected 0.3, got 0.30000000000000004 (difference 5.6e-17)", result.Message);
    }

    [Fact]
    public void Exact_counts_negative_zero_as_zero_and_an_integer_as_its_double()
    {
        var result = ComparatorCall.Run(_exact, "[0, 2]", "[-0.0, 2.0]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Exact_fails_NaN_unless_equalNan_is_set()
    {
        var strict = ComparatorCall.Run(_exact, "\"NaN\"", "\"NaN\"");
        var lenient = ComparatorCall.Run(_exact, "\"NaN\"", "\"NaN\"", """{"equalNan": true}""");

        Assert.False(strict.Passed);
        Assert.True(lenient.Passed, lenient.Message);
    }

    [Fact]
    public void Exact_passes_the_same_infinity_and_fails_the_other()
    {
        var same = ComparatorCall.Run(_exact, "\"-Infinity\"", "\"-Infinity\"");
        var other = ComparatorCall.Run(_exact, "\"-Infinity\"", "\"Infinity\"");

        Assert.True(same.Passed, same.Message);
        Assert.False(other.Passed);
        Assert.Null(other.MaxDifference);
    }

    [Fact]
    public void Exact_compares_strings_by_their_characters()
    {
        var result = ComparatorCall.Run(_exact, "\"Ab\"", "\"ab\"");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
    }

    [Fact]
    public void Exact_fails_a_string_where_a_boolean_is_expected_as_a_type_problem()
    {
        var result = ComparatorCall.Run(_exact, "true", "\"true\"");

        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Equal("expected a boolean, got the string \"true\"", result.Message);
    }

    [Fact]
    public void Exact_fails_a_scalar_where_a_vector_is_expected_as_a_shape_problem()
    {
        var result = ComparatorCall.Run(_exact, "[2, 3, 4, 1]", "2");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a vector of length 4, got the number 2", result.Message);
    }

    [Fact]
    public void Exact_rejects_tolerances()
    {
        var problems = ComparatorCall.Problems(_exact, """{"kind": "exact", "rtol": 1e-9}""");

        Assert.Equal(["rtol: unknown parameter (expected one of equalNan)"], problems);
    }

    [Theory]
    [InlineData("[]", "[]", true, HintCategory.None)]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3]]", false, HintCategory.WrongShape)]
    [InlineData("[[1, 2], [3, 4]]", "null", false, HintCategory.WrongType)]
    [InlineData("[1, 2]", "[]", false, HintCategory.WrongShape)]
    public void Exact_handles_empty_ragged_and_null_values(string expected, string actual, bool passes, HintCategory hint)
    {
        var result = ComparatorCall.Run(_exact, expected, actual);

        Assert.Equal(passes, result.Passed);
        Assert.Equal(hint, result.Hint);
    }
}
