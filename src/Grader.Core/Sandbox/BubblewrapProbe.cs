using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Grader.Core.Sandbox;

// Whether bubblewrap works on this machine (tried once at start), and where the runner is read from.
internal static class BubblewrapProbe
{
    // Why bubblewrap cannot isolate runners here, or null when it can.
    public static string? Problem(bool switchUser)
    {
        if (!File.Exists(RunnerLauncher.Bwrap))
        {
            return "bwrap is not installed";
        }
        var info = new ProcessStartInfo(switchUser ? RunnerLauncher.Setpriv : RunnerLauncher.Bwrap)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment.Clear();
        // The probe runs under a claimed uid as well: under a fixed one, a runner of another host
        // that holds it (and has used up its RLIMIT_NPROC) would make the probe fail, and this host
        // fall back to running without namespaces.
        using var claim = switchUser ? RunnerUids.ClaimAny() : null;
        if (claim is not null)
        {
            var uid = Path.GetFileName(claim.Name);
            RunnerLauncher.Add(info.ArgumentList, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--no-new-privs", "--", RunnerLauncher.Bwrap);
        }
        RunnerLauncher.Add(info.ArgumentList, "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
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

    // The runner uid must be able to read the runner and start its executable: where it cannot
    // (a folder of mode 0700 above it, or files without "other" permissions, as a dotnet tool
    // install leaves them), a copy in /var/tmp that it can.
    public static string StageReadable(string runnerDirectory)
    {
        var files = Directory.GetFiles(runnerDirectory, "*", SearchOption.AllDirectories);
        if (EveryAncestorTraversable(runnerDirectory) && files.All(UsableByAnyone))
        {
            return runnerDirectory;
        }
        var staged = Path.Combine("/var/tmp", $"grader-runner-{Stamp(runnerDirectory, files)}");
        if (!Directory.Exists(staged))
        {
            const UnixFileMode Open = (UnixFileMode)0b111_101_101;
            const UnixFileMode Readable = (UnixFileMode)0b110_100_100;
            var temporary = staged + "." + Environment.ProcessId;
            Directory.CreateDirectory(temporary, Open);
            foreach (var file in files)
            {
                var target = Path.Combine(temporary, Path.GetRelativePath(runnerDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!, Open);
                File.Copy(file, target, overwrite: true);
                File.SetUnixFileMode(target, (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? Open : Readable);
            }
            try
            {
                Directory.Move(temporary, staged);
            }
            catch (IOException) when (Directory.Exists(staged))
            {
                RunnerLauncher.TryDelete(temporary);
            }
        }
        return staged;
    }

    private static bool UsableByAnyone(string file)
    {
        var mode = File.GetUnixFileMode(file);
        return (mode & UnixFileMode.OtherRead) != 0
            && ((mode & UnixFileMode.UserExecute) == 0 || (mode & UnixFileMode.OtherExecute) != 0);
    }

    // The same for the same build (every host of one build shares one copy), different when any
    // file's name, size or time differs.
    private static string Stamp(string runnerDirectory, IEnumerable<string> files)
    {
        var listing = new StringBuilder();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            listing.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(runnerDirectory, file)}\0{info.Length}\0{info.LastWriteTimeUtc.Ticks}\n");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())))[..16];
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
