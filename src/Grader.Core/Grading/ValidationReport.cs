namespace Grader.Core.Grading;

public sealed record ValidationReport
{
    public required bool Passed { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required IReadOnlyList<string> Checks { get; init; }

    /// <summary>What the reference scored (null when it did not compile or failed its own cases), of <see cref="MaxScore"/>.</summary>
    public double? ReferenceScore { get; init; }
    public double MaxScore { get; init; }

    /// <summary>What the starter scored; null when it did not compile or was not graded.</summary>
    public double? StarterScore { get; init; }

    /// <summary>Each recorded mistake: what it declares against what it got.</summary>
    public IReadOnlyList<MistakeCheck> Mistakes { get; init; } = [];

    /// <summary>
    /// A compile was cut off by the compile time limit (GRD0008). On a loaded or cold machine that
    /// need not be the package's fault, so a service may validate again before believing it.
    /// </summary>
    public bool CompileCutOff { get; init; }

    /// <summary>The expected outputs the checks were graded against; null when the reference could not produce them.</summary>
    public ExpectedOutputs? Expected { get; init; }
}

public static class CompileLimits
{
    /// <summary>The diagnostic of a compile the compile server gave up on (time limit, lost process).</summary>
    public const string CutOffId = "GRD0008";
}

/// <summary>One recorded mistake's outcome: declared score and messages against the score it got and the messages missing from its feedback.</summary>
public sealed record MistakeCheck(
    string File,
    double DeclaredScore,
    double Score,
    IReadOnlyList<string> DeclaredMessages,
    IReadOnlyList<string> MissingMessages,
    bool Passed,
    string? Problem);

/// <summary>The reference solution itself does not compile or fails its own cases.</summary>
public sealed class ReferenceSolutionException(string message) : Exception(message);
