using System.Text.Json.Nodes;
using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class GradientComparatorTests
{
    private readonly GradientComparator _gradient = new();

    private const string Cost = """{"kind": "gradient", "function": "ComputeCost"}""";

    [Fact]
    public void Gradient_passes_an_analytic_gradient_within_finite_difference_error()
    {
        // Central differences of f(w) = w₀² + 3w₁ at (2, 5), as the engine computes them.
        var result = ComparatorCall.Run(_gradient, "[4.000000000115, 2.99999999995]", "[4, 3]", Cost);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Gradient_fails_a_wrong_gradient_and_says_it_was_a_finite_difference_check()
    {
        var result = ComparatorCall.Run(_gradient, "[4.000000000115, 2.99999999995]", "[2, 3]", Cost);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[0]", result.Where);
        Assert.Equal(2, result.MaxDifference!.Value, 1e-9);
        Assert.StartsWith("finite-difference gradient check of ComputeCost failed: values differ at [0]: expected 4.000000000115, got 2", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_uses_looser_default_tolerances_than_close()
    {
        var gradient = ComparatorCall.Run(_gradient, "[10]", "[10.0005]", Cost);
        var close = ComparatorCall.Run(new CloseComparator(), "[10]", "[10.0005]");

        Assert.True(gradient.Passed, gradient.Message);
        Assert.False(close.Passed);
    }

    [Fact]
    public void Gradient_checks_the_shape_of_the_gradient()
    {
        var result = ComparatorCall.Run(_gradient, "[[1], [2]]", "[1, 2]", Cost);

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.EndsWith("expected a 2×1 matrix, got a vector of length 2", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_fails_NaN_and_infinite_entries()
    {
        var nan = ComparatorCall.Run(_gradient, "[1, 2]", "[1, \"NaN\"]", Cost);
        var infinity = ComparatorCall.Run(_gradient, "[1, 2]", "[\"Infinity\", 2]", Cost);

        Assert.False(nan.Passed);
        Assert.False(infinity.Passed);
        Assert.Equal("[0]", infinity.Where);
    }

    [Fact]
    public void Gradient_fails_a_string_where_numbers_are_expected()
    {
        var result = ComparatorCall.Run(_gradient, "[1, 2]", "\"[1, 2]\"", Cost);

        Assert.Equal(HintCategory.WrongType, result.Hint);
    }

    [Fact]
    public void Gradient_gives_the_engine_its_settings_with_defaults()
    {
        var settings = GradientComparator.ReadSettings((JsonObject)JsonNode.Parse(Cost)!, out var problems);

        Assert.Empty(problems);
        Assert.Equal(new GradientComparator.Settings("ComputeCost", 0, 1e-6, 1e-4, 1e-6), settings);
    }

    [Theory]
    [InlineData("""{"kind": "gradient"}""", "function: required")]
    [InlineData("""{"function": ""}""", "function: must be a non-empty string")]
    [InlineData("""{"function": "f", "h": 0}""", "h: must be a positive number")]
    [InlineData("""{"function": "f", "arg": "x"}""", "arg: must be a non-negative integer")]
    [InlineData("""{"function": "f", "step": 1e-6}""", "step: unknown parameter (expected one of function, arg, h, rtol, atol)")]
    public void Gradient_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_gradient, parameters);

        Assert.Equal([problem], problems);
    }

    [Theory]
    [InlineData("[0, 1]", "[-0.0, 1]", true, HintCategory.None)]
    [InlineData("[]", "[]", true, HintCategory.None)]
    [InlineData("[1, 2]", "null", false, HintCategory.WrongType)]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3]]", false, HintCategory.WrongShape)]
    public void Gradient_handles_negative_zero_empty_null_and_ragged_values(string expected, string actual, bool passes, HintCategory hint)
    {
        var result = ComparatorCall.Run(_gradient, expected, actual, Cost);

        Assert.Equal(passes, result.Passed);
        Assert.Equal(hint, result.Hint);
    }
}
