namespace Grader.Core.Grading;

public sealed record ValidationReport
{
    public required bool Passed { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required IReadOnlyList<string> Checks { get; init; }
}

/// <summary>The reference solution itself does not compile or fails its own cases.</summary>
public sealed class ReferenceSolutionException(string message) : Exception(message);
