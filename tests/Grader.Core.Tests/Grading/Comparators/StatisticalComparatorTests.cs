using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class StatisticalComparatorTests
{
    private readonly StatisticalComparator _statistical = new();

    // A simulated proportion of 1000 fair coin flips: mean 0.5, standard error √(0.25/1000) ≈ 0.0158.
    private const string Coin = """{"kind": "statistical", "mean": 0.5, "standardError": 0.0158}""";

    [Fact]
    public void Statistical_needs_no_expected_value()
    {
        ICaseComparator comparator = _statistical;

        Assert.False(comparator.NeedsExpected);
    }

    [Fact]
    public void Statistical_passes_a_value_within_k_standard_errors()
    {
        var result = ComparatorCall.Run(_statistical, null, "0.53", Coin);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Statistical_says_how_many_standard_errors_away_a_value_is()
    {
        var parameters = """{"mean": 0.5, "standardError": 0.0226}""";

        var result = ComparatorCall.Run(_statistical, null, "0.62", parameters);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.OutsideStatisticalRange, result.Hint);
        Assert.Equal("0.62 is 5.3 standard errors from the expected 0.5 (allowed 4)", result.Message);
        Assert.Equal(0.12, result.MaxDifference!.Value, 1e-12);
        Assert.Null(result.Where);
    }

    [Fact]
    public void Statistical_uses_k_as_the_allowed_distance()
    {
        var strict = ComparatorCall.Run(_statistical, null, "0.53", """{"mean": 0.5, "standardError": 0.0158, "k": 1}""");

        Assert.False(strict.Passed);
    }

    [Fact]
    public void Statistical_checks_each_entry_of_a_vector_against_its_own_mean()
    {
        var parameters = """{"mean": [0.5, 3.5], "standardError": [0.01, 0.05]}""";

        var passed = ComparatorCall.Run(_statistical, null, "[0.51, 3.45]", parameters);
        var failed = ComparatorCall.Run(_statistical, null, "[0.51, 3.0]", parameters);

        Assert.True(passed.Passed, passed.Message);
        Assert.Equal("[1]", failed.Where);
        Assert.Equal("at [1]: 3 is 10.0 standard errors from the expected 3.5 (allowed 4)", failed.Message);
    }

    [Fact]
    public void Statistical_shares_one_standard_error_across_a_vector()
    {
        var result = ComparatorCall.Run(_statistical, null, "[1, 2.2]", """{"mean": [1, 2], "standardError": 0.1}""");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Statistical_fails_NaN_and_infinity()
    {
        var nan = ComparatorCall.Run(_statistical, null, "\"NaN\"", Coin);
        var infinity = ComparatorCall.Run(_statistical, null, "\"Infinity\"", Coin);

        Assert.Equal("got NaN, expected a value within 4 standard errors of 0.5", nan.Message);
        Assert.Equal(HintCategory.OutsideStatisticalRange, infinity.Hint);
        Assert.Null(infinity.MaxDifference);
    }

    [Theory]
    [InlineData("[0.5]", HintCategory.WrongShape)]
    [InlineData("\"0.5\"", HintCategory.WrongType)]
    [InlineData("null", HintCategory.WrongType)]
    public void Statistical_fails_a_scalar_case_given_something_else(string actual, HintCategory hint)
    {
        var result = ComparatorCall.Run(_statistical, null, actual, Coin);

        Assert.False(result.Passed);
        Assert.Equal(hint, result.Hint);
    }

    [Fact]
    public void Statistical_fails_a_vector_of_the_wrong_length()
    {
        var result = ComparatorCall.Run(_statistical, null, "[0.5, 0.5, 0.5]", """{"mean": [0.5, 0.5], "standardError": 0.1}""");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a vector of length 2, got a vector of length 3", result.Message);
    }

    [Theory]
    [InlineData("""{"standardError": 0.1}""", "mean: required")]
    [InlineData("""{"mean": 0.5}""", "standardError: required")]
    [InlineData("""{"mean": 0.5, "standardError": 0}""", "standardError: must be a positive number or a non-empty list of positive numbers")]
    [InlineData("""{"mean": "NaN", "standardError": 0.1}""", "mean: must be a finite number or a non-empty list of finite numbers")]
    [InlineData("""{"mean": [0.5, 0.5], "standardError": [0.1]}""", "standardError: must be a number or a list as long as mean (2)")]
    [InlineData("""{"mean": 0.5, "standardError": [0.1]}""", "standardError: must be a number or a list as long as mean (1)")]
    [InlineData("""{"mean": 0.5, "standardError": 0.1, "k": 0}""", "k: must be a positive number")]
    [InlineData("""{"mean": 0.5, "standardError": 0.1, "sigma": 2}""", "sigma: unknown parameter (expected one of mean, standardError, k)")]
    public void Statistical_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_statistical, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Statistical_counts_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_statistical, null, "-0.0", """{"mean": 0, "standardError": 1e-300}""");

        Assert.True(result.Passed, result.Message);
    }

    [Theory]
    [InlineData("[[1], [2]]", "expected a vector of length 2, got a 2×1 matrix")]
    [InlineData("[[1], 2]", "expected a vector of length 2, got a ragged array")]
    [InlineData("[]", "expected a vector of length 2, got a vector of length 0")]
    public void Statistical_fails_a_vector_case_given_the_wrong_shape(string actual, string message)
    {
        var result = ComparatorCall.Run(_statistical, null, actual, """{"mean": [1, 2], "standardError": 0.1}""");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal(message, result.Message);
    }
}
