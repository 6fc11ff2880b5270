using System.Text.Json.Serialization;
using Grader.Core.Grading.Comparators;

namespace Grader.Core.Grading;

[JsonConverter(typeof(JsonStringEnumConverter<GradeStatus>))]
public enum GradeStatus
{
    /// <summary>Compiled and ran; the score says how well.</summary>
    Graded,
    CompileError,
    /// <summary>Refused before running: a directive, a banned API, input too large.</summary>
    Rejected,
    /// <summary>The grader itself could not finish (not the student's fault); safe to retry.</summary>
    Failed,
}

[JsonConverter(typeof(JsonStringEnumConverter<CaseVerdict>))]
public enum CaseVerdict
{
    Passed,
    WrongAnswer,
    RuntimeError,
    Timeout,
    MemoryLimit,
    OutputLimit,
    /// <summary>Not run because the submission's whole time budget was spent.</summary>
    NotRun,
}

public sealed record SourceDiagnostic(string Id, string Severity, int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, col {Column}: {Severity} {Id}: {Message}";
}

public sealed record CaseReport
{
    public required string Name { get; init; }
    public required string Exercise { get; init; }
    public required string Function { get; init; }
    public required CaseVerdict Verdict { get; init; }
    public bool Hidden { get; init; }
    public double Weight { get; init; }
    /// <summary>Feedback for the student. For hidden cases this never quotes inputs or expected values.</summary>
    public string Message { get; init; } = "";
    public HintCategory HintCategory { get; init; }
    public string? Hint { get; init; }
    /// <summary>Visible cases only.</summary>
    public string? Input { get; init; }
    public string? Expected { get; init; }
    public string? Got { get; init; }
    public double? MaxDifference { get; init; }
    public string? Where { get; init; }
    /// <summary>The exception type for <see cref="CaseVerdict.RuntimeError"/>.</summary>
    public string? ErrorType { get; init; }
    /// <summary>What the student's code wrote to the console during this case (capped).</summary>
    public string? Output { get; init; }
    public double ElapsedMs { get; init; }
}

public sealed record ExerciseReport
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required double Score { get; init; }
    public required double MaxScore { get; init; }
    public required IReadOnlyList<CaseReport> Cases { get; init; }
}

public sealed record GradeReport
{
    public required string AssignmentId { get; init; }
    public required GradeStatus Status { get; init; }
    public required double Score { get; init; }
    public required double MaxScore { get; init; }
    /// <summary>One line a student can act on: why it did not compile, why it was refused, or the score.</summary>
    public required string Summary { get; init; }
    public IReadOnlyList<SourceDiagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<ExerciseReport> Exercises { get; init; } = [];
    /// <summary>Whether the runner ran inside OS isolation (bubblewrap) or in the fallback mode.</summary>
    public string? Isolation { get; init; }
    public double CompileMs { get; init; }
    /// <summary>Time spent running the visible cases (hidden cases' time is never reported).</summary>
    public double RunMs { get; init; }
}
