using System.Text.Json;
using System.Text.Json.Nodes;
using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class CloseComparatorTests
{
    private readonly CloseComparator _close = new();

    [Fact]
    public void Close_passes_a_matrix_within_the_default_tolerance()
    {
        var result = ComparatorCall.Run(_close, "[[1, 2], [3, 4]]", "[[1.000001, 2], [3, 4.00002]]");

        Assert.True(result.Passed, result.Message);
        Assert.Equal(0.00002, result.MaxDifference!.Value, 1e-12);
    }

    [Fact]
    public void Close_reports_where_and_by_how_much_a_single_entry_differs()
    {
        var expected = "[[0,0,0,0],[0,0,0,0],[0,0,0,1.5],[0,0,0,0]]";
        var actual = "[[0,0,0,0],[0,0,0,0],[0,0,0,1.4999],[0,0,0,0]]";

        var result = ComparatorCall.Run(_close, expected, actual);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[2][3]", result.Where);
        Assert.Equal(1e-4, result.MaxDifference!.Value, 1e-12);
        Assert.Equal("values differ at [2][3]: expected 1.5, got 1.4999 (difference 1.0e-4, tolerance 1.5e-5)", result.Message);
    }

    [Fact]
    public void Close_says_how_many_entries_differ_and_points_at_the_largest()
    {
        var result = ComparatorCall.Run(_close, "[1, 2, 3, 4]", "[1.1, 2, 3.5, 4.2]");

        Assert.False(result.Passed);
        Assert.Equal("[2]", result.Where);
        Assert.Equal(0.5, result.MaxDifference!.Value, 1e-12);
        Assert.StartsWith("3 of 4 entries differ; largest at [2]: expected 3, got 3.5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_fails_a_shape_mismatch_before_looking_at_values()
    {
        var expected = "[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]";

        var result = ComparatorCall.Run(_close, expected, "[1, 1, 1, 1]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a 4×4 matrix, got a vector of length 4", result.Message);
    }

    [Fact]
    public void Close_tells_a_column_vector_from_a_plain_vector()
    {
        var result = ComparatorCall.Run(_close, "[[1], [2]]", "[1, 2]");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a 2×1 matrix, got a vector of length 2", result.Message);
    }

    [Fact]
    public void Close_suggests_a_transpose_when_the_dimensions_are_swapped()
    {
        var result = ComparatorCall.Run(_close, "[[1, 2, 3], [4, 5, 6]]", "[[1, 4], [2, 5], [3, 6]]");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a 2×3 matrix, got a 3×2 matrix (transposed?)", result.Message);
    }

    [Fact]
    public void Close_fails_a_ragged_actual_array_as_a_shape_problem()
    {
        var result = ComparatorCall.Run(_close, "[[1, 2], [3, 4]]", "[[1, 2], [3]]");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected a 2×2 matrix, got a ragged array", result.Message);
    }

    [Theory]
    [InlineData("\"1.5\"")]
    [InlineData("{\"value\": 1.5}")]
    [InlineData("true")]
    [InlineData("null")]
    public void Close_fails_a_number_compared_with_something_else_as_a_type_problem(string actual)
    {
        var result = ComparatorCall.Run(_close, "1.5", actual);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.StartsWith("expected a number, got ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_fails_a_null_actual_where_a_matrix_is_expected()
    {
        var result = ComparatorCall.Run(_close, "[[1, 2], [3, 4]]", null);

        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Equal("expected a 2×2 matrix, got null", result.Message);
    }

    [Fact]
    public void Close_fails_on_NaN_where_a_number_is_expected()
    {
        var result = ComparatorCall.Run(_close, "[1, 2]", "[1, \"NaN\"]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[1]", result.Where);
        Assert.Null(result.MaxDifference);
        Assert.Equal("values differ at [1]: expected 2, got NaN", result.Message);
    }

    [Fact]
    public void Close_fails_NaN_against_NaN_unless_equalNan_is_set()
    {
        var strict = ComparatorCall.Run(_close, "[\"NaN\", 1]", "[\"NaN\", 1]");
        var lenient = ComparatorCall.Run(_close, "[\"NaN\", 1]", "[\"NaN\", 1]", """{"kind": "close", "equalNan": true}""");

        Assert.False(strict.Passed);
        Assert.True(lenient.Passed, lenient.Message);
    }

    [Fact]
    public void Close_treats_an_infinity_as_equal_only_to_the_same_infinity()
    {
        var same = ComparatorCall.Run(_close, "[\"Infinity\", \"-Infinity\"]", "[\"Infinity\", \"-Infinity\"]");
        var opposite = ComparatorCall.Run(_close, "[\"Infinity\"]", "[\"-Infinity\"]");
        var finite = ComparatorCall.Run(_close, "[\"Infinity\"]", "[1e308]", """{"rtol": 10}""");

        Assert.True(same.Passed, same.Message);
        Assert.False(opposite.Passed);
        Assert.False(finite.Passed);
    }

    [Fact]
    public void Close_counts_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_close, "[0, 0.0]", "[-0.0, -0]", """{"atol": 0, "rtol": 0}""");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Close_accepts_a_difference_exactly_at_the_tolerance_and_not_one_step_beyond()
    {
        // Powers of two make the bound exact: atol + rtol·|e| = 0 + 2⁻¹⁰·1024 = 1.
        var parameters = """{"rtol": 0.0009765625, "atol": 0}""";

        var atBound = ComparatorCall.Run(_close, "1024", "1025", parameters);
        var beyond = ComparatorCall.Run(_close, "1024", "1025.0000000000002", parameters);

        Assert.True(atBound.Passed, atBound.Message);
        Assert.False(beyond.Passed);
    }

    [Fact]
    public void Close_scales_the_tolerance_by_the_expected_value_only_as_numpy_does()
    {
        // |99999 − 100000| = 1: within 1e-8 + 1e-5·100000, beyond 1e-8 + 1e-5·99999.
        var expectedLarger = ComparatorCall.Run(_close, "100000", "99999");
        var expectedSmaller = ComparatorCall.Run(_close, "99999", "100000");

        Assert.True(expectedLarger.Passed, expectedLarger.Message);
        Assert.False(expectedSmaller.Passed);
    }

    [Fact]
    public void Close_uses_the_default_relative_tolerance_of_numpy()
    {
        var inside = ComparatorCall.Run(_close, "1", "1.00001");
        var outside = ComparatorCall.Run(_close, "1", "1.000011");

        Assert.True(inside.Passed, inside.Message);
        Assert.False(outside.Passed);
    }

    [Fact]
    public void Close_uses_the_absolute_tolerance_near_zero()
    {
        var inside = ComparatorCall.Run(_close, "0", "9e-9");
        var outside = ComparatorCall.Run(_close, "0", "2e-8");

        Assert.True(inside.Passed, inside.Message);
        Assert.False(outside.Passed);
    }

    [Fact]
    public void Close_compares_objects_property_by_property_and_reports_the_path()
    {
        var expected = """{"W": [[1, 2], [3, 4]], "b": [[0], [0]]}""";
        var actual = """{"W": [[1, 2.5], [3, 4]], "b": [[0], [0]]}""";

        var result = ComparatorCall.Run(_close, expected, actual);

        Assert.False(result.Passed);
        Assert.Equal(".W[0][1]", result.Where);
        Assert.StartsWith("values differ at .W[0][1]: expected 2, got 2.5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_reports_missing_and_extra_properties()
    {
        var result = ComparatorCall.Run(_close, """{"W": 1, "b": 2}""", """{"W": 1, "c": 2}""");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Equal(".b", result.Where);
        Assert.Equal("at .b: missing property b (and 1 other difference in structure)", result.Message);
    }

    [Fact]
    public void Close_matches_a_property_whose_name_differs_only_in_case()
    {
        var result = ComparatorCall.Run(_close, """{"W": [1, 2]}""", """{"w": [1, 2]}""");

        Assert.True(result.Passed, result.Message);
    }

    [Theory]
    [InlineData("""{"Weights": [1, 2], "Bias": 0.5}""", """{"weights": [1, 2], "bias": 0.5}""")]
    [InlineData("""{"weights": [1, 2], "bias": 0.5}""", """{"Weights": [1, 2], "Bias": 0.5}""")]
    public void Close_matches_properties_differing_only_in_case_in_values_read_as_the_engine_reads_them(string expected, string actual)
    {
        // The runner's reply and a manifest's literal expected are both read with the web
        // defaults, whose objects look names up case-insensitively.
        var input = ComparatorCall.Input(expected, null) with
        {
            Expected = JsonSerializer.Deserialize<JsonNode>(expected, RunnerJson.Options),
            Actual = new CallOutcome { Value = JsonSerializer.Deserialize<RunnerReply>($$"""{"nonce":"n","status":"ok","value":{{actual}}}""", RunnerJson.Context.RunnerReply)!.Value },
        };

        var result = _close.Compare(input);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Close_reports_a_wrong_value_under_a_differently_cased_property_as_a_value_difference()
    {
        var input = ComparatorCall.Input("{}", null) with
        {
            Expected = JsonSerializer.Deserialize<JsonNode>("""{"Bias": 0.5}""", RunnerJson.Options),
            Actual = new CallOutcome { Value = JsonSerializer.Deserialize<JsonNode>("""{"bias": 0.75}""", RunnerJson.Options) },
        };

        var result = _close.Compare(input);

        Assert.False(result.Passed);
        Assert.StartsWith("values differ at .Bias: expected 0.5, got 0.75", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected property", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_compares_strings_and_booleans_in_a_tuple_exactly()
    {
        var same = ComparatorCall.Run(_close, """[[1, 2], "ok", true]""", """[[1, 2], "ok", true]""");
        var different = ComparatorCall.Run(_close, """[[1, 2], "ok", true]""", """[[1, 2], "ok", false]""");

        Assert.True(same.Passed, same.Message);
        Assert.False(different.Passed);
        Assert.Equal("[2]", different.Where);
        Assert.Equal("values differ at [2]: expected true, got false", different.Message);
    }

    [Fact]
    public void Close_checks_the_length_of_a_tuple()
    {
        var result = ComparatorCall.Run(_close, """[[1, 2], 3]""", """[[1, 2], 3, 4]""");

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.Equal("expected 2 items, got 3", result.Message);
    }

    [Fact]
    public void Close_passes_empty_arrays_of_the_same_shape_and_fails_different_ones()
    {
        var same = ComparatorCall.Run(_close, "[]", "[]");
        var different = ComparatorCall.Run(_close, "[]", "[[]]");

        Assert.True(same.Passed, same.Message);
        Assert.Equal(HintCategory.WrongShape, different.Hint);
    }

    [Fact]
    public void Close_passes_null_for_a_void_function()
    {
        var result = ComparatorCall.Run(_close, null, null);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Close_handles_a_large_result_that_differs_everywhere()
    {
        var expected = "[" + string.Join(",", Enumerable.Repeat("1", 200_000)) + "]";
        var actual = "[" + string.Join(",", Enumerable.Range(0, 200_000).Select(i => (2 + i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

        var result = ComparatorCall.Run(_close, expected, actual);

        Assert.False(result.Passed);
        Assert.Equal(7, result.MaxDifference);
        Assert.Equal("[6]", result.Where);
        Assert.StartsWith("200000 of 200000 entries differ; largest at [6]", result.Message, StringComparison.Ordinal);
        Assert.True(result.Message.Length < 300);
    }

    [Fact]
    public void Close_treats_a_faulted_call_as_an_unexpected_exception()
    {
        var fault = new RunnerFault("System.InvalidOperationException", ["System.InvalidOperationException", "System.Exception"], "boom");

        var result = ComparatorCall.Run(_close, "1", null, fault: fault);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.UnexpectedException, result.Hint);
    }

    [Fact]
    public void Close_does_not_throw_on_an_object_with_duplicate_keys()
    {
        var result = ComparatorCall.Run(_close, """{"a": 1}""", """{"a": 1, "a": 2}""");

        Assert.False(result.Passed);
    }

    [Theory]
    [InlineData("""{"kind": "close", "rtoll": 1e-3}""", "rtoll: unknown parameter (expected one of rtol, atol, equalNan)")]
    [InlineData("""{"rtol": -1}""", "rtol: must be a non-negative number")]
    [InlineData("""{"atol": "1e-8"}""", "atol: must be a non-negative number")]
    [InlineData("""{"rtol": "NaN"}""", "rtol: must be a non-negative number")]
    [InlineData("""{"equalNan": "yes"}""", "equalNan: must be true or false")]
    public void Close_rejects_unknown_or_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_close, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Close_accepts_its_documented_parameters()
    {
        var problems = ComparatorCall.Problems(_close, """{"kind": "close", "rtol": 1e-3, "atol": 0, "equalNan": true}""");

        Assert.Empty(problems);
    }

    [Fact]
    public void Close_fails_a_case_whose_parameters_are_bad_instead_of_using_defaults()
    {
        var result = ComparatorCall.Run(_close, "1", "1", """{"rtol": -1}""");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
        Assert.Contains("rtol: must be a non-negative number", result.Message, StringComparison.Ordinal);
    }
}
