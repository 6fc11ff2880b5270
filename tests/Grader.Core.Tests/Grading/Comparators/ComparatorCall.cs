using System.Text.Json.Nodes;
using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Grading.Comparators;

/// <summary>Builds a comparison from JSON text, as the engine would from a case and a runner reply.</summary>
internal static class ComparatorCall
{
    public static ComparisonResult Run(
        ICaseComparator comparator,
        string? expected,
        string? actual,
        string parameters = "{}",
        string args = "[]",
        string? argsAfter = null,
        RunnerFault? fault = null) =>
        comparator.Compare(Input(expected, actual, parameters, args, argsAfter, fault));

    public static ComparisonInput Input(
        string? expected,
        string? actual,
        string parameters = "{}",
        string args = "[]",
        string? argsAfter = null,
        RunnerFault? fault = null) => new()
        {
            Args = (JsonArray)JsonNode.Parse(args)!,
            Expected = expected is null ? null : JsonNode.Parse(expected),
            Actual = new CallOutcome
            {
                Value = actual is null ? null : JsonNode.Parse(actual),
                ArgsAfter = argsAfter is null ? null : (JsonArray)JsonNode.Parse(argsAfter)!,
                Fault = fault,
            },
            Parameters = (JsonObject)JsonNode.Parse(parameters)!,
        };

    public static IReadOnlyList<string> Problems(ICaseComparator comparator, string parameters) =>
        [.. comparator.ValidateParameters((JsonObject)JsonNode.Parse(parameters)!)];
}
