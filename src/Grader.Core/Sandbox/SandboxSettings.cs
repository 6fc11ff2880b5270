namespace Grader.Core.Sandbox;

public enum IsolationPreference
{
    /// <summary>bubblewrap when it works here, else the fallback (logged loudly).</summary>
    Auto,
    /// <summary>Refuse to start without bubblewrap.</summary>
    Bubblewrap,
    /// <summary>rlimits + a non-root uid + the allowlist, without namespaces (tests cover this mode).</summary>
    Fallback,
}

/// <summary>OS-level limits for one runner process. The wall deadlines are enforced by the caller.</summary>
public sealed record RunnerLimits
{
    public int MemoryMb { get; init; } = 256;
    public int CpuSeconds { get; init; } = 30;
    public int MaxProcesses { get; init; } = 32;
    public int MaxOpenFiles { get; init; } = 128;
    public long MaxFileBytes { get; init; } = 1 << 20;
}
