namespace Grader.Core.Grading;

public enum CompileStatus
{
    Ok,
    CompileError,
    /// <summary>Refused by the input checks, a directive, a syntax ban or the API allowlist.</summary>
    Rejected,
}

/// <summary>
/// The outcome of compiling one submission. The assembly holds a script class named
/// <see cref="ScriptClassName"/> whose static <c>&lt;Factory&gt;</c> method runs the top-level
/// statements and returns the instance on which the submission's top-level methods live.
/// </summary>
public sealed record CompileResult(CompileStatus Status, IReadOnlyList<SourceDiagnostic> Diagnostics, byte[]? Assembly, double ElapsedMs)
{
    public const string ScriptClassName = "Submission";
}
