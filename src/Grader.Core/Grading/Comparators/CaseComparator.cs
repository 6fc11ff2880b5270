using System.Text.Json.Nodes;
using Grader.Core.Sandbox;

namespace Grader.Core.Grading.Comparators;

/// <summary>What one call of a student function produced, as plain data from the runner.</summary>
public sealed record CallOutcome
{
    /// <summary>The returned value (null for void, or when the call threw).</summary>
    public JsonNode? Value { get; init; }
    public RunnerFault? Fault { get; init; }
    /// <summary>The arguments as they were after the call, when the case asked for them.</summary>
    public JsonArray? ArgsAfter { get; init; }
}

public sealed record ComparisonInput
{
    /// <summary>The case's arguments as sent (fixtures resolved).</summary>
    public required JsonArray Args { get; init; }
    /// <summary>The expected value: the reference's return value or the case's literal.</summary>
    public JsonNode? Expected { get; init; }
    /// <summary>What the reference did for this case (its exception, if the case expects one).</summary>
    public CallOutcome? Reference { get; init; }
    public required CallOutcome Actual { get; init; }
    /// <summary>The comparator object from the manifest (kind and parameters).</summary>
    public required JsonObject Parameters { get; init; }
}

/// <summary>Safe categories for hidden cases: they say what kind of thing went wrong, never the values.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<HintCategory>))]
public enum HintCategory
{
    None,
    WrongShape,
    WrongType,
    ValuesDiffer,
    InputMutated,
    UnexpectedException,
    MissingException,
    PropertyViolated,
    OutsideStatisticalRange,
}

public sealed record ComparisonResult
{
    public required bool Passed { get; init; }
    /// <summary>What differs, for visible cases: may quote values.</summary>
    public string Message { get; init; } = "";
    public HintCategory Hint { get; init; }
    /// <summary>The largest numeric difference found, when the comparison was numeric.</summary>
    public double? MaxDifference { get; init; }
    /// <summary>Where the largest difference is, as an index path such as <c>[2][3]</c>.</summary>
    public string? Where { get; init; }

    public static ComparisonResult Pass(string message = "") => new() { Passed = true, Message = message };

    public static ComparisonResult Fail(HintCategory hint, string message, double? maxDifference = null, string? where = null) =>
        new() { Passed = false, Hint = hint, Message = message, MaxDifference = maxDifference, Where = where };
}

/// <summary>Decides one case from plain values, on the trusted side. Must be NaN-safe and never throw on odd input.</summary>
public interface ICaseComparator
{
    string Kind { get; }

    /// <summary>Checks the comparator's parameters when a package is loaded; returns problems as "field: reason".</summary>
    IEnumerable<string> ValidateParameters(JsonObject parameters);

    /// <summary>Whether the case needs the arguments back after the call.</summary>
    bool NeedsArgsAfter => false;

    /// <summary>Whether the case needs an expected value from the reference solution (or a literal).</summary>
    bool NeedsExpected => true;

    /// <summary>Whether the call is meant to throw: a faulted call is then compared, not a runtime error.</summary>
    bool ExpectsFault => false;

    ComparisonResult Compare(ComparisonInput input);
}
