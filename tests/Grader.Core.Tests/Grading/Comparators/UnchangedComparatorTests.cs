using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class UnchangedComparatorTests
{
    private readonly UnchangedComparator _unchanged = new();

    private const string Args = "[[[1, 2, 3], [4, 5, 3], [7, 8, 9]], 1, 2]";

    [Fact]
    public void Unchanged_needs_the_arguments_after_the_call_but_no_expected_value()
    {
        ICaseComparator comparator = _unchanged;

        Assert.True(comparator.NeedsArgsAfter);
        Assert.False(comparator.NeedsExpected);
    }

    [Fact]
    public void Unchanged_passes_when_the_arguments_come_back_as_sent()
    {
        var result = ComparatorCall.Run(_unchanged, null, "[[4, 5, 3], [1, 2, 3], [7, 8, 9]]", args: Args, argsAfter: Args);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Unchanged_reports_the_entry_a_row_operation_modified_in_place()
    {
        var after = "[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], 1, 2]";

        var result = ComparatorCall.Run(_unchanged, null, "null", args: Args, argsAfter: after);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.InputMutated, result.Hint);
        Assert.Equal("argument 0 was modified by the call: [1][2] was 3, now 6", result.Message);
        Assert.Equal("args[0][1][2]", result.Where);
        Assert.Equal(3, result.MaxDifference);
    }

    [Fact]
    public void Unchanged_counts_the_entries_that_changed()
    {
        var after = "[[[4, 5, 3], [1, 2, 3], [7, 8, 9]], 1, 2]";

        var result = ComparatorCall.Run(_unchanged, null, "null", args: Args, argsAfter: after);

        Assert.Equal(HintCategory.InputMutated, result.Hint);
        Assert.StartsWith("argument 0 was modified by the call: 4 of 9 entries changed, for example [0][0] was 1, now 4", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unchanged_checks_only_the_listed_arguments()
    {
        var after = "[[[1, 2, 3], [4, 5, 3], [7, 8, 9]], 1, 99]";

        var listed = ComparatorCall.Run(_unchanged, null, "null", """{"args": [0, 1]}""", Args, after);
        var all = ComparatorCall.Run(_unchanged, null, "null", args: Args, argsAfter: after);

        Assert.True(listed.Passed, listed.Message);
        Assert.Equal("argument 2 was modified by the call: it was 2, now 99", all.Message);
    }

    [Fact]
    public void Unchanged_treats_a_NaN_that_stays_NaN_as_unchanged()
    {
        var args = "[[1, \"NaN\", \"Infinity\"]]";

        var same = ComparatorCall.Run(_unchanged, null, "null", args: args, argsAfter: args);
        var changed = ComparatorCall.Run(_unchanged, null, "null", args: args, argsAfter: "[[1, 0, \"Infinity\"]]");

        Assert.True(same.Passed, same.Message);
        Assert.Equal("argument 0 was modified by the call: [1] was NaN, now 0", changed.Message);
        Assert.Null(changed.MaxDifference);
    }

    [Fact]
    public void Unchanged_counts_negative_zero_as_zero()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", args: "[[0, 1]]", argsAfter: "[[-0.0, 1]]");

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Unchanged_reports_a_change_of_shape()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", args: "[[1, 2, 3]]", argsAfter: "[[1, 2]]");

        Assert.Equal(HintCategory.InputMutated, result.Hint);
        Assert.Equal("argument 0 was modified by the call: it was a vector of length 3, now a vector of length 2", result.Message);
    }

    [Fact]
    public void Unchanged_fails_clearly_when_the_arguments_were_not_returned()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", args: Args, argsAfter: null);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
        Assert.Equal("the arguments after the call were not returned, so mutation could not be checked", result.Message);
    }

    [Fact]
    public void Unchanged_fails_when_a_different_number_of_arguments_came_back()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", args: Args, argsAfter: "[1]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
    }

    [Fact]
    public void Unchanged_is_misconfigured_when_it_lists_a_missing_argument()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", """{"args": [5]}""", Args, Args);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
        Assert.Contains("args lists argument 5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unchanged_does_not_pass_a_call_that_threw()
    {
        var fault = new RunnerFault("System.IndexOutOfRangeException", ["System.IndexOutOfRangeException"], "Index was outside the bounds of the array.");

        var result = ComparatorCall.Run(_unchanged, null, null, args: Args, argsAfter: Args, fault: fault);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.UnexpectedException, result.Hint);
    }

    [Theory]
    [InlineData("""{"args": []}""", "args: must be a non-empty list of non-negative integers")]
    [InlineData("""{"args": [0, -1]}""", "args: must be a list of non-negative integers")]
    [InlineData("""{"args": 0}""", "args: must be a non-empty list of non-negative integers")]
    [InlineData("""{"arg": [0]}""", "arg: unknown parameter (expected one of args)")]
    public void Unchanged_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_unchanged, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Unchanged_reports_a_row_that_lost_an_entry()
    {
        var result = ComparatorCall.Run(_unchanged, null, "null", args: "[[[1, 2], [3, 4]]]", argsAfter: "[[[1, 2], [3]]]");

        Assert.Equal(HintCategory.InputMutated, result.Hint);
        Assert.Equal("argument 0 was modified by the call: it was a 2×2 matrix, now a ragged array", result.Message);
    }

    [Fact]
    public void Unchanged_passes_a_call_without_arguments()
    {
        var result = ComparatorCall.Run(_unchanged, null, "3", args: "[]", argsAfter: "[]");

        Assert.True(result.Passed, result.Message);
    }
}
