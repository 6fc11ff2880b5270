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
/// <see cref="ScriptClassName"/> whose static <c>&lt;Factory&gt;(object[])</c> method, given a
/// <c>new object[2]</c>, creates the instance on which the submission's top-level methods live,
/// stores it in slot 1 of that array and runs the top-level statements; the
/// <c>Task&lt;object&gt;</c> it returns completes with the script's own return value (usually null).
/// </summary>
public sealed record CompileResult(CompileStatus Status, IReadOnlyList<SourceDiagnostic> Diagnostics, byte[]? Assembly, double ElapsedMs)
{
    public const string ScriptClassName = "Submission";
}
