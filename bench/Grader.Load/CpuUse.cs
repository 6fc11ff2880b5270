using System.Globalization;

/// <summary>
/// CPU time of the service by component, from /proc: the service process itself (HTTP, queue,
/// comparison, storage), its compile server, PostgreSQL, and the runners. A runner's processes are
/// killed as a tree and orphaned inside their PID namespace, so their time never reaches the
/// service's cutime: runners are the machine's CPU time (/proc/stat) less everything else measured
/// and less this load generator, which holds only on a machine doing nothing else; or, where the
/// cgroup v1 cpuacct controller is writable (root), the time of a cgroup the service's process
/// tree was moved into, which every runner inherits, less the rest measured inside it.
/// </summary>
internal sealed record CpuUse(double ServiceMs, double CompilerMs, double PostgresMs, double MachineMs, double LoadToolMs, double? GroupMs, bool PostgresInGroup)
{
    private const string Accounting = "/sys/fs/cgroup/cpuacct";
    private static readonly double TickMs = 1000.0 / 100; // USER_HZ is 100 on Linux

    public double RunnersMs => GroupMs is { } group
        ? group - ServiceMs - CompilerMs - (PostgresInGroup ? PostgresMs : 0)
        : MachineMs - LoadToolMs - ServiceMs - CompilerMs - PostgresMs;

    public double TotalMs => ServiceMs + CompilerMs + PostgresMs + RunnersMs;

    /// <summary>
    /// Moves the service and its children into a cgroup of their own so that every runner started
    /// from now on is accounted there; null where cgroup v1 accounting cannot be written.
    /// </summary>
    public static string? Account(int servicePid)
    {
        var group = Path.Combine(Accounting, $"grader-load-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(group);
            foreach (var pid in new[] { servicePid }.Concat(ProcessTable.Read().Descendants(servicePid)))
            {
                File.WriteAllText(Path.Combine(group, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }
            return group;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static CpuUse Sample(int servicePid, int? postmasterPid, string? group)
    {
        var table = ProcessTable.Read();
        var service = table.GetValueOrDefault(servicePid) ?? throw new InvalidOperationException($"no process {servicePid}");
        double compiler = 0;
        foreach (var pid in table.Descendants(servicePid))
        {
            if (table[pid].CommandLine.Contains("Grader.Compiler", StringComparison.Ordinal))
            {
                compiler += table[pid].OwnTicks + table[pid].ChildrenTicks;
            }
        }
        double postgres = 0;
        if (postmasterPid is { } pm && table.GetValueOrDefault(pm) is { } postmaster)
        {
            postgres = postmaster.OwnTicks + postmaster.ChildrenTicks;
            foreach (var pid in table.Descendants(pm))
            {
                postgres += table[pid].OwnTicks;
            }
        }
        // The first line of /proc/stat: user nice system idle iowait irq softirq steal … in ticks.
        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = machine[0] + machine[1] + machine[2] + machine[5] + machine[6];
        var self = table[Environment.ProcessId].OwnTicks;
        double? groupMs = group is null ? null : long.Parse(File.ReadAllText(Path.Combine(group, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture) / 1e6;
        // The embedded PostgreSQL is started by the service, so it is in the service's cgroup.
        bool postgresInGroup = group is not null && postmasterPid is { } p
            && File.ReadAllText($"/proc/{p}/cgroup").Contains(Path.GetFileName(group), StringComparison.Ordinal);
        return new CpuUse(service.OwnTicks * TickMs, compiler * TickMs, postgres * TickMs, busy * TickMs, self * TickMs, groupMs, postgresInGroup);
    }

    public static CpuUse operator -(CpuUse a, CpuUse b) =>
        new(a.ServiceMs - b.ServiceMs, a.CompilerMs - b.CompilerMs, a.PostgresMs - b.PostgresMs, a.MachineMs - b.MachineMs, a.LoadToolMs - b.LoadToolMs,
            a.GroupMs - b.GroupMs, a.PostgresInGroup);

    public string PerSubmission(int graded, bool postgresSampled) => graded == 0 ? "cpu: nothing graded" : string.Create(CultureInfo.InvariantCulture,
        $"cpu per graded submission: total {TotalMs / graded:F1} ms = service (API, queue, compare, store) {ServiceMs / graded:F1} + compile server {CompilerMs / graded:F1} + PostgreSQL {(postgresSampled ? (PostgresMs / graded).ToString("F1", CultureInfo.InvariantCulture) : "not sampled (pass --postmaster <pid>)")} + runners {RunnersMs / graded:F1} ({(GroupMs is null ? "the machine's time less the rest: valid on a quiet machine only" : "from the service's cgroup")}; load generator's own {LoadToolMs / graded:F1} left out)");

    private sealed record Proc(int Parent, long OwnTicks, long ChildrenTicks, string CommandLine);

    private sealed class ProcessTable : Dictionary<int, Proc>
    {
        private readonly Dictionary<int, List<int>> _children = [];

        public static ProcessTable Read()
        {
            var table = new ProcessTable();
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // Fields after the command name: state ppid … utime(14) stime cutime cstime.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    long F(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    table[pid] = new Proc((int)F(4), F(14) + F(15), F(16) + F(17), cmdline);
                }
                catch (IOException)
                {
                    // It ended while we read it.
                }
            }
            foreach (var (pid, p) in table)
            {
                (table._children.TryGetValue(p.Parent, out var list) ? list : table._children[p.Parent] = []).Add(pid);
            }
            return table;
        }

        public IEnumerable<int> Descendants(int root)
        {
            var stack = new Stack<int>(_children.GetValueOrDefault(root) ?? []);
            while (stack.TryPop(out var pid))
            {
                yield return pid;
                foreach (var child in _children.GetValueOrDefault(pid) ?? [])
                {
                    stack.Push(child);
                }
            }
        }
    }
}
