using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class MultisetComparatorTests
{
    private readonly MultisetComparator _multiset = new();

    [Fact]
    public void Multiset_passes_eigenvalues_in_another_order_within_tolerance()
    {
        var result = ComparatorCall.Run(_multiset, "[5, 2, -1]", "[-1.000001, 2, 5.00001]");

        Assert.True(result.Passed, result.Message);
        Assert.Equal(1e-5, result.MaxDifference!.Value, 1e-9);
    }

    [Fact]
    public void Multiset_counts_duplicates()
    {
        var result = ComparatorCall.Run(_multiset, "[1, 1, 2]", "[1, 2, 2]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[2]", result.Where);
        Assert.Equal("1 of 3 expected elements have no match in the result (in any order): missing 1; unexpected 2", result.Message);
    }

    [Fact]
    public void Multiset_finds_a_matching_when_tolerances_overlap()
    {
        // Greedy pairing in input order would give 1.0 the element 1.0+1e-6 and leave nothing for 1.0+2e-5.
        var parameters = """{"rtol": 0, "atol": 1.5e-5}""";

        var result = ComparatorCall.Run(_multiset, "[1.0, 1.00002]", "[1.00001, 1.0]", parameters);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Multiset_fails_a_different_number_of_elements_as_a_shape_problem()
    {
        var result = ComparatorCall.Run(_multiset, "[1, 2, 3]", "[1, 2]");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected 3 elements (in any order), got 2", result.Message);
    }

    [Theory]
    [InlineData("3", HintCategory.WrongShape)]
    [InlineData("\"1,2\"", HintCategory.WrongType)]
    [InlineData("null", HintCategory.WrongType)]
    public void Multiset_fails_an_actual_that_is_not_an_array(string actual, HintCategory hint)
    {
        var result = ComparatorCall.Run(_multiset, "[1, 2]", actual);

        Assert.False(result.Passed);
        Assert.Equal(hint, result.Hint);
    }

    [Fact]
    public void Multiset_never_matches_NaN()
    {
        var result = ComparatorCall.Run(_multiset, "[\"NaN\", 1]", "[1, \"NaN\"]");

        Assert.False(result.Passed);
        Assert.Null(result.MaxDifference);
    }

    [Fact]
    public void Multiset_matches_infinities_only_with_the_same_infinity()
    {
        var same = ComparatorCall.Run(_multiset, "[\"Infinity\", 0]", "[-0.0, \"Infinity\"]");
        var other = ComparatorCall.Run(_multiset, "[\"Infinity\", 0]", "[0, \"-Infinity\"]");

        Assert.True(same.Passed, same.Message);
        Assert.False(other.Passed);
    }

    [Fact]
    public void Multiset_compares_vectors_as_elements_with_close_tolerance()
    {
        var expected = "[[1, 0], [0, 1], [1, 1]]";

        var reordered = ComparatorCall.Run(_multiset, expected, "[[1, 1.000001], [1, 0], [0, 1]]");
        var wrong = ComparatorCall.Run(_multiset, expected, "[[1, 1], [1, 0], [0, 2]]");

        Assert.True(reordered.Passed, reordered.Message);
        Assert.False(wrong.Passed);
        Assert.Equal("[2]", wrong.Where);
        Assert.Contains("missing [0,1]; unexpected [0,2]", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multiset_finds_a_perfect_matching_of_vectors_that_greedy_pairing_misses()
    {
        // [0, 0] is close to both actual elements; only pairing it with the second leaves [0, 1e-5] a partner.
        var parameters = """{"rtol": 0, "atol": 1.5e-5}""";

        var result = ComparatorCall.Run(_multiset, "[[0, 0], [0, 2e-5]]", "[[0, 1e-5], [0, 0]]", parameters);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Multiset_passes_two_empty_arrays()
    {
        var result = ComparatorCall.Run(_multiset, "[]", "[]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Multiset_fails_a_misconfigured_case_whose_expected_value_is_not_an_array()
    {
        var result = ComparatorCall.Run(_multiset, "3", "[3]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
    }

    [Fact]
    public void Multiset_handles_large_arrays_of_numbers()
    {
        var expected = "[" + string.Join(",", Enumerable.Range(0, 100_000)) + "]";
        var actual = "[" + string.Join(",", Enumerable.Range(0, 100_000).Reverse()) + "]";

        var result = ComparatorCall.Run(_multiset, expected, actual);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Multiset_refuses_to_compare_too_many_vectors_pairwise()
    {
        var vectors = "[" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"[{i},{i}]")) + "]";

        var result = ComparatorCall.Run(_multiset, vectors, vectors);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Contains("too many elements", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"equalNan": true}""", "equalNan: unknown parameter (expected one of rtol, atol)")]
    [InlineData("""{"atol": -0.1}""", "atol: must be a non-negative number")]
    public void Multiset_rejects_unknown_or_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_multiset, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Multiset_matches_elements_of_different_lengths()
    {
        var result = ComparatorCall.Run(_multiset, "[[1], [1, 2], []]", "[[], [1, 2], [1]]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Multiset_counts_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_multiset, "[0, 1]", "[1, -0.0]", """{"rtol": 0, "atol": 0}""");

        Assert.True(result.Passed, result.Message);
    }

    [Theory]
    [InlineData("[1, \"2\"]", HintCategory.WrongType, "expected numbers as elements, but element [1] is the string \"2\"")]
    [InlineData("[1, [2]]", HintCategory.WrongShape, "expected numbers as elements, but element [1] is a vector of length 1")]
    [InlineData("[1, null]", HintCategory.WrongType, "expected numbers as elements, but element [1] is null")]
    public void Multiset_fails_a_non_number_among_numbers_as_a_type_or_shape_problem(string actual, HintCategory hint, string message)
    {
        var result = ComparatorCall.Run(_multiset, "[1, 2]", actual);

        Assert.Equal(hint, result.Hint);
        Assert.Equal(message, result.Message);
        Assert.Equal("[1]", result.Where);
    }
}
