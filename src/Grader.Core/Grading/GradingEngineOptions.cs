using Grader.Core.Sandbox;

namespace Grader.Core.Grading;

public sealed record GradeOptions
{
    /// <summary>Show after-due cases like visible ones (the due date has passed).</summary>
    public bool RevealAfterDueCases { get; init; }
}

public sealed class GradingEngineOptions
{
    /// <summary>Pre-started runner processes kept ready; also bounds concurrent grading.</summary>
    public int RunnerPoolSize { get; set; } = 2;
    public int CompilerProcesses { get; set; } = 1;
    /// <summary>Where the self-contained runner (Grader.Runner and its runtime) lives; defaults to runner/ beside the host.</summary>
    public string? RunnerDirectory { get; set; }
    public string? CompilerDirectory { get; set; }
    public int CompileTimeoutMs { get; set; } = 10_000;
    public IsolationPreference Isolation { get; set; } = IsolationPreference.Auto;
}
