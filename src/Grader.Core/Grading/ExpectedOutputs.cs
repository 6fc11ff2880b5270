using Grader.Core.Grading.Comparators;

namespace Grader.Core.Grading;

/// <summary>Expected outputs of every case, computed from the reference solution and cached per package hash.</summary>
public sealed record ExpectedOutputs
{
    public required string PackageHash { get; init; }
    public required IReadOnlyDictionary<string, CallOutcome> ByCase { get; init; }
}
