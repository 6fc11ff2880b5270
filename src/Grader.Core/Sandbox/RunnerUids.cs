using System.Globalization;

namespace Grader.Core.Sandbox;

// The non-root uids runners run as, leased one per runner, machine-wide.
internal sealed class RunnerUids
{
    private const int FirstRunnerUid = 64000;
    private const int RunnerUidCount = 1000;
    private const string UidLockDirectory = "/run/lock/grader-runner-uids";

    private readonly Dictionary<int, FileStream> _heldUids = [];
    private readonly Lock _uidLock = new();
    private int _nextUid = FirstRunnerUid;

    /// <summary>
    /// A uid no other runner on this machine holds, in this host or another: runners that share a
    /// uid share RLIMIT_NPROC and, without namespaces, could signal each other. An exclusive lock
    /// file per uid makes the choice machine-wide; the lock dies with the host.
    /// </summary>
    public int Rent()
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
    public static void KillEveryProcessOf(int uid)
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
    public void Return(int uid)
    {
        lock (_uidLock)
        {
            if (_heldUids.Remove(uid, out var held))
            {
                held.Dispose();
            }
        }
    }

    public IReadOnlyCollection<int> Held
    {
        get
        {
            lock (_uidLock)
            {
                return [.. _heldUids.Keys];
            }
        }
    }

    // Any free uid, for a moment (the bubblewrap probe).
    public static FileStream ClaimAny()
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
}
