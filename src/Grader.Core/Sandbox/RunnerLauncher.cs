using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Grader.Core.Sandbox;

/// <summary>
/// Builds the command line that starts a runner: rlimits (prlimit), a dedicated non-root uid
/// (setpriv, when we are root), and bubblewrap namespaces when they work on this machine.
/// The runner's environment is built from nothing, so no secret of the host reaches it.
/// </summary>
public sealed class RunnerLauncher
{
    private const string Bwrap = "/usr/bin/bwrap";
    private const string Prlimit = "/usr/bin/prlimit";
    private const string Setpriv = "/usr/bin/setpriv";
    private const int FirstRunnerUid = 64000;
    private const int RunnerUidCount = 1000;
    private const string UidLockDirectory = "/run/lock/grader-runner-uids";

    private readonly string _runnerDirectory;
    private readonly string _dotnetRoot;
    private readonly bool _switchUser;
    private readonly Dictionary<int, FileStream> _heldUids = [];
    private readonly Lock _uidLock = new();
    private int _nextUid = FirstRunnerUid;

    private RunnerLauncher(string runnerDirectory, string dotnetRoot, bool useBubblewrap, bool switchUser, string isolation)
    {
        _runnerDirectory = runnerDirectory;
        _dotnetRoot = dotnetRoot;
        UsesBubblewrap = useBubblewrap;
        _switchUser = switchUser;
        Isolation = isolation;
    }

    public bool UsesBubblewrap { get; }

    /// <summary>A sentence saying how runners are isolated here.</summary>
    public string Isolation { get; }

    public static RunnerLauncher Create(string? runnerDirectory, IsolationPreference preference, ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Grader runs submissions only on Linux");
        }
        runnerDirectory ??= Path.Combine(AppContext.BaseDirectory, "runner");
        if (!File.Exists(Path.Combine(runnerDirectory, "Grader.Runner.dll")))
        {
            throw new FileNotFoundException($"Grader.Runner.dll not found in {runnerDirectory}; build the solution so the runner is copied beside the host");
        }
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        bool root = LibC.GetEffectiveUserId() == 0;
        bool switchUser = root && File.Exists(Setpriv);
        if (switchUser)
        {
            // The runner uid must be able to read the runner: stage it where every ancestor is traversable.
            runnerDirectory = StageReadable(runnerDirectory);
        }
        string? bwrapProblem = preference == IsolationPreference.Fallback ? "fallback mode was asked for" : ProbeBubblewrap(switchUser);
        if (bwrapProblem is null)
        {
            var isolation = $"bubblewrap: no network, no file system but the read-only runtime, new PID namespace, {(switchUser ? "non-root uid per runner" : "current uid")}, rlimits";
            logger.LogInformation("Runner isolation: {Isolation}", isolation);
            return new RunnerLauncher(runnerDirectory, dotnetRoot, true, switchUser, isolation);
        }
        if (preference == IsolationPreference.Bubblewrap)
        {
            throw new InvalidOperationException($"bubblewrap isolation was required but is not available: {bwrapProblem}");
        }
        var fallback = $"fallback: rlimits + {(switchUser ? "non-root uid per runner" : "current uid (not root, so no uid switch)")} + API allowlist, without namespaces ({bwrapProblem})";
        logger.LogWarning("RUNNER ISOLATION IS REDUCED. {Isolation}. Install bubblewrap (apt-get install bubblewrap) and allow user namespaces for full isolation", fallback);
        return new RunnerLauncher(runnerDirectory, dotnetRoot, false, switchUser, fallback);
    }

    /// <summary>Starts a runner process; the caller owns it and must kill it.</summary>
    public RunnerProcess Start(RunnerLimits limits)
    {
        int? uid = _switchUser ? RentUid() : null;
        string? scratch = null;
        try
        {
            var info = new ProcessStartInfo(Prlimit)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment.Clear();
            long heapBytes = (long)limits.MemoryMb << 20;
            long addressSpace = 2 * heapBytes + (512L << 20);
            var args = info.ArgumentList;
            Add(args, $"--as={addressSpace}", $"--cpu={limits.CpuSeconds}", $"--fsize={limits.MaxFileBytes}",
                $"--nofile={limits.MaxOpenFiles}", "--core=0");
            if (uid is not null)
            {
                // RLIMIT_NPROC counts per uid, and root is exempt: only meaningful with a uid of our own.
                Add(args, $"--nproc={limits.MaxProcesses}");
            }
            Add(args, "--");
            if (uid is { } u)
            {
                Add(args, Setpriv, $"--reuid={u}", $"--regid={u}", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--");
            }
            var environment = new Dictionary<string, string>
            {
                ["DOTNET_EnableDiagnostics"] = "0",
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
                ["DOTNET_EnableWriteXorExecute"] = "0",
                ["DOTNET_GCHeapHardLimit"] = "0x" + heapBytes.ToString("x", CultureInfo.InvariantCulture),
                ["DOTNET_PROCESSOR_COUNT"] = "1",
                ["DOTNET_gcServer"] = "0",
                ["DOTNET_gcConcurrent"] = "0",
                ["DOTNET_TieredPGO"] = "0",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            };
            if (UsesBubblewrap)
            {
                Add(args, Bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL",
                    "--ro-bind", "/usr/lib", "/usr/lib", "--symlink", "usr/lib", "/lib");
                if (Directory.Exists("/usr/lib64"))
                {
                    Add(args, "--ro-bind", "/usr/lib64", "/usr/lib64", "--symlink", "usr/lib64", "/lib64");
                }
                Add(args, "--ro-bind", _dotnetRoot, "/dotnet", "--ro-bind", _runnerDirectory, "/runner",
                    "--proc", "/proc", "--dev", "/dev", "--size", "1048576", "--tmpfs", "/scratch", "--chdir", "/scratch",
                    "--setenv", "HOME", "/scratch");
                foreach (var (key, value) in environment)
                {
                    Add(args, "--setenv", key, value);
                }
                Add(args, "--", "/dotnet/dotnet", "/runner/Grader.Runner.dll");
            }
            else
            {
                scratch = Directory.CreateTempSubdirectory("grader-scratch-").FullName;
                File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
                info.WorkingDirectory = scratch;
                foreach (var (key, value) in environment)
                {
                    info.Environment[key] = value;
                }
                info.Environment["HOME"] = scratch;
                Add(args, Path.Combine(_dotnetRoot, "dotnet"), Path.Combine(_runnerDirectory, "Grader.Runner.dll"));
            }
            var process = ProcessSpawner.Start(info);
            return new RunnerProcess(process, () =>
            {
                if (uid is { } rented)
                {
                    if (!UsesBubblewrap)
                    {
                        // With bubblewrap the PID namespace ends with the runner, and everything in it.
                        KillEveryProcessOf(rented);
                    }
                    ReturnUid(rented);
                }
                if (scratch is not null)
                {
                    TryDelete(scratch);
                }
            });
        }
        catch
        {
            if (uid is { } rented)
            {
                ReturnUid(rented);
            }
            if (scratch is not null)
            {
                TryDelete(scratch);
            }
            throw;
        }
    }

    /// <summary>
    /// A uid no other runner on this machine holds, in this host or another: runners that share a
    /// uid share RLIMIT_NPROC and, without namespaces, could signal each other. An exclusive lock
    /// file per uid makes the choice machine-wide; the lock dies with the host.
    /// </summary>
    private int RentUid()
    {
        lock (_uidLock)
        {
            Directory.CreateDirectory(UidLockDirectory);
            for (int tried = 0; tried < RunnerUidCount; tried++)
            {
                int uid = _nextUid;
                _nextUid = FirstRunnerUid + ((_nextUid - FirstRunnerUid + 1) % RunnerUidCount);
                if (_heldUids.ContainsKey(uid))
                {
                    continue;
                }
                if (TryClaim(uid) is { } claim)
                {
                    _heldUids[uid] = claim;
                    return uid;
                }
            }
            throw new InvalidOperationException($"all {RunnerUidCount} runner uids from {FirstRunnerUid} are in use on this machine");
        }
    }

    /// <summary>
    /// Claims a uid with an exclusive lock on its file (held until the stream is disposed), and
    /// only while no process runs as it: something that does not take the lock (an older grader,
    /// a leftover) would otherwise share RLIMIT_NPROC with our runner, or be killed by our sweep.
    /// </summary>
    private static FileStream? TryClaim(int uid)
    {
        Directory.CreateDirectory(UidLockDirectory);
        FileStream claim;
        try
        {
            claim = new FileStream(Path.Combine(UidLockDirectory, uid.ToString(CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null; // held by a runner of this or another host
        }
        if (AnyLiveProcessOf(uid))
        {
            claim.Dispose();
            return null;
        }
        return claim;
    }

    /// <summary>
    /// Kills whatever still runs as a runner uid once its runner is gone. A child the submission
    /// detached (setsid, a double fork) leaves the runner's process tree, so killing the tree
    /// misses it; without namespaces it would live on under a uid the next runner gets.
    /// </summary>
    private static void KillEveryProcessOf(int uid)
    {
        const int SigKill = 9;
        // A few rounds: a process may fork between the scan and the kill (at most RLIMIT_NPROC of them).
        for (int round = 0; round < 10; round++)
        {
            bool found = false;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && IsLiveProcessOf(dir, uid))
                {
                    LibC.Kill(pid, SigKill);
                    found = true;
                }
            }
            if (!found)
            {
                return;
            }
        }
    }

    private static bool AnyLiveProcessOf(int uid) =>
        Directory.EnumerateDirectories("/proc").Any(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _) && IsLiveProcessOf(dir, uid));

    private static bool IsLiveProcessOf(string procDirectory, int uid)
    {
        try
        {
            bool owned = false;
            foreach (var line in File.ReadLines(Path.Combine(procDirectory, "status")))
            {
                if (line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("(zombie)", StringComparison.Ordinal))
                {
                    return false;
                }
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                    owned = fields.Skip(1).Any(f => f == uid.ToString(CultureInfo.InvariantCulture));
                }
            }
            return owned;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone already
        }
    }

    // Called after the runner has exited (and, without namespaces, every process of its uid was
    // killed); TryClaim checks again that no process runs as a uid before it is handed out.
    private void ReturnUid(int uid)
    {
        lock (_uidLock)
        {
            if (_heldUids.Remove(uid, out var held))
            {
                held.Dispose();
            }
        }
    }

    /// <summary>The uids this launcher holds right now (for tests).</summary>
    internal IReadOnlyCollection<int> HeldUids
    {
        get
        {
            lock (_uidLock)
            {
                return [.. _heldUids.Keys];
            }
        }
    }

    private static void Add(IList<string> list, params string[] items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? ProbeBubblewrap(bool switchUser)
    {
        if (!File.Exists(Bwrap))
        {
            return "bwrap is not installed";
        }
        var info = new ProcessStartInfo(switchUser ? Setpriv : Bwrap)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment.Clear();
        // The probe runs under a claimed uid as well: under a fixed one, a runner of another host
        // that holds it (and has used up its RLIMIT_NPROC) would make the probe fail, and this host
        // fall back to running without namespaces.
        using var claim = switchUser ? ClaimAnyUid() : null;
        if (claim is not null)
        {
            var uid = Path.GetFileName(claim.Name);
            Add(info.ArgumentList, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--no-new-privs", "--", Bwrap);
        }
        Add(info.ArgumentList, "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--", "/usr/bin/true");
        if (Directory.Exists("/usr/lib64"))
        {
            info.ArgumentList.Insert(info.ArgumentList.IndexOf("--proc"), "--symlink");
            info.ArgumentList.Insert(info.ArgumentList.IndexOf("--proc"), "usr/lib64");
            info.ArgumentList.Insert(info.ArgumentList.IndexOf("--proc"), "/lib64");
        }
        try
        {
            using var probe = Process.Start(info)!;
            var error = probe.StandardError.ReadToEndAsync();
            if (!probe.WaitForExit(10_000))
            {
                probe.Kill(entireProcessTree: true);
                return "bwrap did not answer within 10 s";
            }
            return probe.ExitCode == 0 ? null : $"bwrap cannot create namespaces here: {error.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"bwrap could not be started: {e.Message}";
        }
    }

    private static FileStream ClaimAnyUid()
    {
        for (int uid = FirstRunnerUid; uid < FirstRunnerUid + RunnerUidCount; uid++)
        {
            if (TryClaim(uid) is { } claim)
            {
                return claim;
            }
        }
        throw new InvalidOperationException($"all {RunnerUidCount} runner uids from {FirstRunnerUid} are in use on this machine");
    }

    private static string StageReadable(string runnerDirectory)
    {
        if (EveryAncestorTraversable(runnerDirectory))
        {
            return runnerDirectory;
        }
        var files = Directory.GetFiles(runnerDirectory, "*", SearchOption.AllDirectories);
        var stamp = files.Sum(f => new FileInfo(f).Length ^ File.GetLastWriteTimeUtc(f).Ticks);
        var staged = Path.Combine("/var/tmp", $"grader-runner-{stamp:x}");
        if (!Directory.Exists(staged))
        {
            var temporary = staged + "." + Environment.ProcessId;
            foreach (var file in files)
            {
                var target = Path.Combine(temporary, Path.GetRelativePath(runnerDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
            File.SetUnixFileMode(temporary, (UnixFileMode)0b111_101_101);
            try
            {
                Directory.Move(temporary, staged);
            }
            catch (IOException) when (Directory.Exists(staged))
            {
                TryDelete(temporary);
            }
        }
        return staged;
    }

    private static bool EveryAncestorTraversable(string directory)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            if ((File.GetUnixFileMode(d.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
