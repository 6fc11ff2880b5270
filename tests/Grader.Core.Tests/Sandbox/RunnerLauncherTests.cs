using Grader.Core.Sandbox;
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
        // The two warmed ones were handed out; each rent then started one to refill the pool.
        Assert.Equal(4, pool.StartedCount);
    }
}
