using System.Diagnostics;
using System.Globalization;

/// <summary>
/// CPU time of this process and everything it starts. A runner's processes are killed as a tree
/// and orphaned in their PID namespace, so their time never reaches our rusage: where cgroup v1
/// cpuacct is writable (root), this process moves into a group of its own, which children inherit.
/// </summary>
internal sealed class CpuClock
{
    private readonly string? _group;

    private CpuClock(string? group) => _group = group;

    public bool Accounted => _group is not null;

    public static CpuClock Start()
    {
        var group = $"/sys/fs/cgroup/cpuacct/grader-side-by-side-{Environment.ProcessId}";
        try
        {
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return new CpuClock(group);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CpuClock(null);
        }
    }

    /// <summary>Milliseconds of CPU so far.</summary>
    public double Read() => _group is { } group
        ? long.Parse(File.ReadAllText(Path.Combine(group, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture) / 1e6
        : Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
}
