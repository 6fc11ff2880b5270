using Grader.Core.Sandbox;
using Grader.Core.Tests.Grading;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grader.Core.Tests.Sandbox;

public sealed class RunnerLauncherTests
{
    [Fact]
    public async Task Two_launchers_never_run_runners_under_the_same_uid()
    {
        // Two hosts on one machine (an API node and a CLI, two workers) each have a launcher.
        var first = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        var second = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        if (Environment.UserName != "root")
        {
            Assert.Empty(first.HeldUids); // without root there is no uid to switch to
            return;
        }
        var runners = new List<RunnerProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                runners.Add(first.Start(new RunnerLimits()));
                runners.Add(second.Start(new RunnerLimits()));
            }

            Assert.Equal(3, first.HeldUids.Count);
            Assert.Equal(3, second.HeldUids.Count);
            Assert.Empty(first.HeldUids.Intersect(second.HeldUids));
        }
        finally
        {
            foreach (var runner in runners)
            {
                await runner.DisposeAsync();
            }
        }
        Assert.Empty(first.HeldUids);
        Assert.Empty(second.HeldUids);
    }

    // bwrap --die-with-parent is PR_SET_PDEATHSIG, which fires when the *thread* that forked the
    // runner exits, not the process. Thread-pool threads retire after an idle spell, and a runner
    // pre-started from one was killed (exit code 137) while it waited in the pool. A runner started
    // from a thread that then ends must live on.
    [Fact]
    public async Task A_runner_outlives_the_thread_that_asked_for_it()
    {
        var launcher = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        RunnerProcess? runner = null;
        var ready = false;
        // The thread lives until the runner is up (bwrap has armed its parent-death signal by then).
        var thread = new Thread(() =>
        {
            runner = launcher.Start(new RunnerLimits());
            ready = runner.WaitReadyAsync(TimeSpan.FromSeconds(20), CancellationToken.None).GetAwaiter().GetResult();
        });
        thread.Start();
        thread.Join();
        Assert.NotNull(runner);
        try
        {
            Assert.True(ready, runner.ExitDescription);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(runner.HasExited, $"{launcher.Isolation}: {runner.ExitDescription}");
        }
        finally
        {
            await runner.DisposeAsync();
        }
    }

    // The same through the pool: runners warmed from a thread that then ends (as a retired
    // thread-pool thread does after an idle spell) are still alive when rented, none replaced.
    [Fact]
    public async Task Pre_started_runners_survive_the_thread_that_warmed_the_pool()
    {
        var launcher = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        await using var pool = new RunnerPool(launcher, 2, NullLogger.Instance);
        var warmer = new Thread(() => pool.Warm(256));
        warmer.Start();
        warmer.Join();
        await Task.Delay(TimeSpan.FromSeconds(3));

        await using var first = await pool.RentAsync(256, CancellationToken.None);
        await using var second = await pool.RentAsync(256, CancellationToken.None);

        Assert.False(first.Process.HasExited, first.Process.ExitDescription);
        Assert.False(second.Process.HasExited, second.Process.ExitDescription);
        Assert.Equal(0, pool.DiedWaitingCount);
        // The two warmed ones were handed out; each rent then started one to refill the pool (off
        // the renter's path, so they are waited for), and no more than one each.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (pool.StartedCount < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        Assert.Equal(4, pool.StartedCount);
    }

    // Under bubblewrap only the process we started is killed, not its tree: the namespace's init
    // has it as parent and dies with it (--die-with-parent), and with the init the kernel kills
    // every process of the namespace. The runner is busy in a submission's loop, so it would not
    // notice its input closing: nothing but that kill can end it before its CPU limit.
    [Fact]
    public async Task Killing_a_bubblewrap_runner_ends_every_process_of_its_PID_namespace()
    {
        var launcher = RunnerLauncher.Create(null, IsolationPreference.Bubblewrap, NullLogger.Instance);
        var runner = launcher.Start(new RunnerLimits());
        string? namespaceId;
        try
        {
            Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(20), CancellationToken.None), runner.ExitDescription);
            var init = ChildrenOf(runner.ProcessId).Single();
            namespaceId = PidNamespaceOf(init);
            Assert.NotNull(namespaceId);
            Assert.NotEqual(PidNamespaceOf(Environment.ProcessId), namespaceId);
            Assert.True(ProcessesIn(namespaceId).Count >= 2, "the namespace holds its init and the runtime under it");

            var load = await runner.SendAsync(new RunnerRequest
            {
                Op = RunnerOps.Load,
                Nonce = "",
                Assembly = Convert.ToBase64String(Submissions.Compile("int Spin() { while (true) { } }").Assembly!),
            }, TimeSpan.FromSeconds(20), CancellationToken.None);
            Assert.True(load.Succeeded, load.Detail);
            var spin = await runner.SendAsync(new RunnerRequest { Op = RunnerOps.Call, Nonce = "", Function = "Spin", Args = [] },
                TimeSpan.FromMilliseconds(500), CancellationToken.None);
            Assert.Equal(RunnerFailure.Timeout, spin.Failure); // and the runner was killed
        }
        finally
        {
            await runner.DisposeAsync();
        }

        // The kernel reaps the namespace's processes just after its init: give it a moment, far
        // less than the 30 s CPU limit that would end the loop otherwise.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ProcessesIn(namespaceId).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Empty(ProcessesIn(namespaceId));
    }

    private static int[] ChildrenOf(int pid) =>
        [.. File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

    private static string? PidNamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Live (not zombie) processes whose PID namespace is the given one.
    private static List<int> ProcessesIn(string namespaceId)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && PidNamespaceOf(pid) == namespaceId && !IsZombie(pid))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // gone
        }
    }
}
