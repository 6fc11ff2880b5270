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
}
