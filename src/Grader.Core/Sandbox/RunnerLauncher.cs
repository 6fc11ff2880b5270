using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Grader.Core.Sandbox;

/// <summary>
/// Builds the command line that starts a runner: rlimits (prlimit), a dedicated non-root uid
/// (setpriv, when we are root), and bubblewrap namespaces when they work on this machine.
/// The runner's environment is built from nothing, so no secret of the host reaches it.
/// </summary>
public sealed class RunnerLauncher
{
    internal const string Bwrap = "/usr/bin/bwrap";
    private const string Prlimit = "/usr/bin/prlimit";
    internal const string Setpriv = "/usr/bin/setpriv";

    // The runner is self-contained (its own runtime beside it, see Grader.Runner.csproj): started
    // by its own executable, it needs no .NET installation inside the sandbox.
    internal const string RunnerExecutable = "Grader.Runner";
    // 16 MiB: what the GC chose on this 2-core development VM (32 MiB L3) outside the sandbox.
    private const long Gen0Bytes = 16L << 20;

    private readonly string _runnerDirectory;
    private readonly bool _switchUser;
    private readonly RunnerUids _uids = new();

    private RunnerLauncher(string runnerDirectory, bool useBubblewrap, bool switchUser, string isolation)
    {
        _runnerDirectory = runnerDirectory;
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
        if (!File.Exists(Path.Combine(runnerDirectory, RunnerExecutable)))
        {
            throw new FileNotFoundException($"{RunnerExecutable} not found in {runnerDirectory}; build the solution so the runner is copied beside the host");
        }
        bool root = LibC.GetEffectiveUserId() == 0;
        bool switchUser = root && File.Exists(Setpriv);
        if (switchUser)
        {
            // The runner uid must be able to read the runner: stage it where every ancestor is traversable.
            runnerDirectory = BubblewrapProbe.StageReadable(runnerDirectory);
        }
        string? bwrapProblem = preference == IsolationPreference.Fallback ? "fallback mode was asked for" : BubblewrapProbe.Problem(switchUser);
        if (bwrapProblem is null)
        {
            var isolation = $"bubblewrap: no network, no file system but the read-only runner and system libraries, new PID namespace, {(switchUser ? "non-root uid per runner" : "current uid")}, rlimits";
            logger.LogInformation("Runner isolation: {Isolation}", isolation);
            return new RunnerLauncher(runnerDirectory, true, switchUser, isolation);
        }
        if (preference == IsolationPreference.Bubblewrap)
        {
            throw new InvalidOperationException($"bubblewrap isolation was required but is not available: {bwrapProblem}");
        }
        var fallback = $"fallback: rlimits + {(switchUser ? "non-root uid per runner" : "current uid (not root, so no uid switch)")} + API allowlist, without namespaces ({bwrapProblem})";
        logger.LogWarning("RUNNER ISOLATION IS REDUCED. {Isolation}. Install bubblewrap (apt-get install bubblewrap) and allow user namespaces for full isolation", fallback);
        return new RunnerLauncher(runnerDirectory, false, switchUser, fallback);
    }

    /// <summary>Starts a runner process; the caller owns it and must kill it.</summary>
    public RunnerProcess Start(RunnerLimits limits)
    {
        int? uid = _switchUser ? _uids.Rent() : null;
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
                // On a machine of one processor the runtime waits ten times longer before it
                // recompiles hot methods optimised; a long case ran its loops unoptimised for
                // its first second.
                ["DOTNET_TC_DelaySingleProcMultiplier"] = "1",
                // The GC sizes its youngest generation from the CPU cache it reads in /sys, which
                // the sandbox does not mount; blind, it collected about four times as often.
                ["DOTNET_GCgen0size"] = "0x" + Math.Min(Gen0Bytes, heapBytes / 4).ToString("x", CultureInfo.InvariantCulture),
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
                Add(args, "--ro-bind", _runnerDirectory, "/runner",
                    "--proc", "/proc", "--dev", "/dev", "--size", "1048576", "--tmpfs", "/scratch", "--chdir", "/scratch",
                    "--setenv", "HOME", "/scratch");
                foreach (var (key, value) in environment)
                {
                    Add(args, "--setenv", key, value);
                }
                Add(args, "--", "/runner/" + RunnerExecutable);
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
                Add(args, Path.Combine(_runnerDirectory, RunnerExecutable));
            }
            var process = ProcessSpawner.Start(info);
            return new RunnerProcess(process, () =>
            {
                if (uid is { } rented)
                {
                    if (!UsesBubblewrap)
                    {
                        // With bubblewrap the PID namespace ends with the runner, and everything in it.
                        RunnerUids.KillEveryProcessOf(rented);
                    }
                    _uids.Return(rented);
                }
                if (scratch is not null)
                {
                    TryDelete(scratch);
                }
            }, killTree: !UsesBubblewrap);
        }
        catch
        {
            if (uid is { } rented)
            {
                _uids.Return(rented);
            }
            if (scratch is not null)
            {
                TryDelete(scratch);
            }
            throw;
        }
    }

    /// <summary>The uids this launcher holds right now (for tests).</summary>
    internal IReadOnlyCollection<int> HeldUids => _uids.Held;

    internal static void Add(IList<string> list, params string[] items)
    {
        foreach (var item in items)
        {
            list.Add(item);
        }
    }

    internal static void TryDelete(string directory)
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

}
