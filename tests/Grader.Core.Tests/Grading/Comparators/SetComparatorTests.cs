using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class SetComparatorTests
{
    private readonly SetComparator _set = new();

    [Fact]
    public void Set_ignores_order_and_duplicates()
    {
        var result = ComparatorCall.Run(_set, "[3, 1, 2]", "[1, 2, 2, 3.000001, 1]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Set_reports_missing_and_unexpected_elements()
    {
        var result = ComparatorCall.Run(_set, "[1, 2, 3]", "[1, 2, 4, 4]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[2]", result.Where);
        Assert.Equal("the elements differ as sets: missing 3; unexpected 4, 4", result.Message);
    }

    [Fact]
    public void Set_applies_the_tolerance_relative_to_the_expected_element()
    {
        var inside = ComparatorCall.Run(_set, "[100000]", "[99999]");
        var outside = ComparatorCall.Run(_set, "[99999]", "[100000]");

        Assert.True(inside.Passed, inside.Message);
        Assert.False(outside.Passed);
    }

    [Fact]
    public void Set_compares_vectors_with_close_tolerance()
    {
        var result = ComparatorCall.Run(_set, "[[1, 0], [0, 1]]", "[[0, 1], [1.000001, 0], [0, 1]]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Set_fails_NaN_and_passes_matching_infinities()
    {
        var nan = ComparatorCall.Run(_set, "[1]", "[1, \"NaN\"]");
        var infinity = ComparatorCall.Run(_set, "[\"-Infinity\", 1]", "[1, \"-Infinity\", \"-Infinity\"]");

        Assert.False(nan.Passed);
        Assert.Equal("[1]", nan.Where);
        Assert.True(infinity.Passed, infinity.Message);
    }

    [Fact]
    public void Set_fails_an_object_as_a_type_problem()
    {
        var result = ComparatorCall.Run(_set, "[1]", """{"items": [1]}""");

        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Equal("expected an array of 1 element in any order, got an object", result.Message);
    }

    [Fact]
    public void Set_passes_empty_against_empty_and_fails_empty_against_something()
    {
        var empty = ComparatorCall.Run(_set, "[]", "[]");
        var extra = ComparatorCall.Run(_set, "[]", "[0]");

        Assert.True(empty.Passed, empty.Message);
        Assert.False(extra.Passed);
    }

    [Fact]
    public void Set_rejects_an_unknown_parameter()
    {
        var problems = ComparatorCall.Problems(_set, """{"kind": "set", "tolerance": 1e-3}""");

        Assert.Equal(["tolerance: unknown parameter (expected one of rtol, atol)"], problems);
    }

    [Fact]
    public void Set_counts_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_set, "[0]", "[-0.0, 0]", """{"rtol": 0, "atol": 0}""");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Set_fails_a_null_actual_as_a_type_problem()
    {
        var result = ComparatorCall.Run(_set, "[1]", "null");

        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Equal("expected an array of 1 element in any order, got null", result.Message);
    }
}
