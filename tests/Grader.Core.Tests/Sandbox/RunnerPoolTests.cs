using System.Globalization;
using Grader.Core.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grader.Core.Tests.Sandbox;

public sealed class RunnerPoolTests
{
    [Fact]
    public async Task A_pre_started_runner_that_died_in_the_pool_is_not_handed_out()
    {
        var launcher = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        if (Environment.UserName != "root")
        {
            return; // the runners are found by their uid, and only root switches to one
        }
        await using var pool = new RunnerPool(launcher, 2, NullLogger.Instance);
        pool.Warm(256);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (launcher.HeldUids.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var uids = launcher.HeldUids.ToHashSet();
        Assert.Equal(2, uids.Count);
        // Let them start up, then kill them from outside, as an OOM killer or an operator would.
        await Task.Delay(3000);
        while (ProcessesOf(uids).ToList() is { Count: > 0 } pids && DateTime.UtcNow < deadline)
        {
            foreach (var pid in pids)
            {
                LibC.Kill(pid, 9);
            }
            await Task.Delay(100);
        }

        await using var lease = await pool.RentAsync(256, CancellationToken.None);

        Assert.False(lease.Process.HasExited);
        var exchange = await lease.Process.SendAsync(
            new RunnerRequest { Op = RunnerOps.Call, Nonce = "", Function = "NoSuchFunction", Args = [] },
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(RunnerFailure.None, exchange.Failure);
    }

    private static IEnumerable<int> ProcessesOf(IReadOnlySet<int> uids)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            string[] status;
            try
            {
                status = File.ReadAllLines(Path.Combine(dir, "status"));
            }
            catch (IOException)
            {
                continue;
            }
            var uidLine = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            if (uidLine is not null && uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Any(f => uids.Contains(int.Parse(f, CultureInfo.InvariantCulture))))
            {
                yield return pid;
            }
        }
    }
}
