using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// The shared frame of every comparator: read the parameters, refuse a faulted call, and turn any
/// surprise from odd input into a failed case instead of an exception in the grading pipeline.
/// </summary>
internal static class GuardedComparison
{
    public static IEnumerable<string> Validate<TSettings>(JsonObject? parameters, IReadOnlyCollection<string> names, Func<ParameterReader, TSettings> read)
    {
        if (parameters is null)
        {
            return [];
        }
        var reader = new ParameterReader(parameters, names);
        read(reader);
        return reader.Problems;
    }

    public static ComparisonResult Run<TSettings>(
        ComparisonInput input,
        IReadOnlyCollection<string> names,
        Func<ParameterReader, TSettings> read,
        Func<ComparisonInput, TSettings, ComparisonResult> compare,
        bool faultIsAnswer = false)
    {
        try
        {
            var reader = new ParameterReader(input.Parameters ?? [], names);
            var settings = read(reader);
            if (reader.Problems.Count > 0)
            {
                return ComparisonResult.Fail(HintCategory.None, $"the case's comparator is misconfigured: {string.Join("; ", reader.Problems)}");
            }
            // The engine reports a faulted call as a runtime error before asking us; this is the fallback.
            if (!faultIsAnswer && input.Actual?.Fault is { } fault)
            {
                return ComparisonResult.Fail(HintCategory.UnexpectedException, $"the call threw {FeedbackText.Clip(fault.Type, 200)}: {FeedbackText.Clip(fault.Message, 300)}");
            }
            return compare(input, settings);
        }
        // What JsonNode throws on values it cannot represent, such as an object with a repeated name.
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException
                                      or OverflowException or InsufficientExecutionStackException)
        {
            return ComparisonResult.Fail(HintCategory.WrongType, $"the value could not be compared: {FeedbackText.Clip(e.Message, 200)}");
        }
    }
}
