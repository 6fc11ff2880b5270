using Grader.Core.Assignments;
using Microsoft.Extensions.Logging;

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
    /// <summary>Where Grader.Runner.dll lives; defaults to runner/ beside the host.</summary>
    public string? RunnerDirectory { get; set; }
    public string? CompilerDirectory { get; set; }
    public int CompileTimeoutMs { get; set; } = 10_000;
}

/// <summary>Expected outputs of every case, computed from the reference solution and cached per package hash.</summary>
public sealed record ExpectedOutputs
{
    public required string PackageHash { get; init; }
    public required IReadOnlyDictionary<string, Comparators.CallOutcome> ByCase { get; init; }
}

public sealed record ValidationReport
{
    public required bool Passed { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required IReadOnlyList<string> Checks { get; init; }
}

/// <summary>Compiles, runs in the sandbox, compares and scores. Never runs student code in this process.</summary>
public sealed class GradingEngine : IAsyncDisposable
{
    public static GradingEngine Start(GradingEngineOptions options, ILoggerFactory? loggerFactory = null) => throw new NotImplementedException();

    /// <summary>"bubblewrap" or "fallback (rlimits + non-root + allowlist)".</summary>
    public string IsolationMode => throw new NotImplementedException();

    public Task<ExpectedOutputs> ComputeExpectedAsync(AssignmentPackage package, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<GradeReport> GradeAsync(AssignmentPackage package, ExpectedOutputs expected, string source, GradeOptions options, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Reference scores full marks, starter compiles and scores 0, each mistake scores what it declares.</summary>
    public Task<ValidationReport> ValidateAsync(AssignmentPackage package, CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
