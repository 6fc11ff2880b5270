using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class ThrowsComparatorTests
{
    private readonly ThrowsComparator _throws = new();

    private static readonly RunnerFault OutOfRange = new(
        "System.ArgumentOutOfRangeException",
        ["System.ArgumentOutOfRangeException", "System.ArgumentException", "System.SystemException", "System.Exception"],
        "Specified argument was out of the range of valid values.");

    private static string Expecting(string type) => $$"""{"kind": "throws", "type": "{{type}}"}""";

    [Fact]
    public void Throws_needs_no_expected_value()
    {
        ICaseComparator comparator = _throws;

        Assert.False(comparator.NeedsExpected);
    }

    [Theory]
    [InlineData("ArgumentOutOfRangeException")]
    [InlineData("ArgumentException")]
    [InlineData("System.ArgumentException")]
    [InlineData("Exception")]
    public void Throws_passes_the_exception_or_a_subclass_by_simple_or_full_name(string type)
    {
        var result = ComparatorCall.Run(_throws, null, null, Expecting(type), fault: OutOfRange);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Throws_compares_a_full_name_with_full_names_only()
    {
        var result = ComparatorCall.Run(_throws, null, null, Expecting("Other.ArgumentException"), fault: OutOfRange);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.UnexpectedException, result.Hint);
    }

    [Fact]
    public void Throws_fails_a_different_exception_as_unexpected()
    {
        var fault = new RunnerFault("System.InvalidOperationException", ["System.InvalidOperationException", "System.SystemException", "System.Exception"], "Matrix is singular.");

        var result = ComparatorCall.Run(_throws, null, null, Expecting("ArgumentException"), fault: fault);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.UnexpectedException, result.Hint);
        Assert.Equal("expected an ArgumentException, but the call threw System.InvalidOperationException: Matrix is singular.", result.Message);
    }

    [Fact]
    public void Throws_fails_a_call_that_returned_as_a_missing_exception()
    {
        var result = ComparatorCall.Run(_throws, null, "3", Expecting("ArgumentException"));

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.MissingException, result.Hint);
        Assert.Equal("expected an ArgumentException, but the call returned 3", result.Message);
    }

    [Fact]
    public void Throws_fails_a_void_call_that_returned_normally()
    {
        var result = ComparatorCall.Run(_throws, null, null, Expecting("DivideByZeroException"));

        Assert.Equal(HintCategory.MissingException, result.Hint);
        Assert.Equal("expected a DivideByZeroException, but the call returned without throwing", result.Message);
    }

    [Fact]
    public void Throws_abbreviates_a_large_returned_value()
    {
        var large = "[" + string.Join(",", Enumerable.Range(0, 10_000)) + "]";

        var result = ComparatorCall.Run(_throws, null, large, Expecting("ArgumentException"));

        Assert.Equal(HintCategory.MissingException, result.Hint);
        Assert.True(result.Message.Length < 200, result.Message);
    }

    [Fact]
    public void Throws_matches_the_fault_type_when_the_chain_is_empty()
    {
        var fault = new RunnerFault("System.ArgumentException", [], "bad");

        var result = ComparatorCall.Run(_throws, null, null, Expecting("ArgumentException"), fault: fault);

        Assert.True(result.Passed, result.Message);
    }

    [Theory]
    [InlineData("""{"kind": "throws"}""", "type: required")]
    [InlineData("""{"type": 3}""", "type: must be a non-empty string")]
    [InlineData("""{"type": "Argument Exception"}""", "type: must be an exception type name such as ArgumentException or System.ArgumentException")]
    [InlineData("""{"type": "ArgumentException", "message": "x"}""", "message: unknown parameter (expected one of type)")]
    public void Throws_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_throws, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Throws_clips_a_huge_exception_message()
    {
        var fault = new RunnerFault("System.Exception", ["System.Exception"], new string('x', 100_000));

        var result = ComparatorCall.Run(_throws, null, null, Expecting("ArgumentException"), fault: fault);

        Assert.Equal(HintCategory.UnexpectedException, result.Hint);
        Assert.True(result.Message.Length < 400, $"{result.Message.Length} characters");
    }
}
