using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grader.Core.Sandbox;

/// <summary>
/// Starts runner processes from one thread that lives as long as the host. bwrap's
/// --die-with-parent is PR_SET_PDEATHSIG, which Linux delivers when the thread that forked the
/// child exits, not the process: a runner forked from a thread-pool thread was SIGKILLed (exit
/// code 137) when that thread retired after an idle spell, while the runner waited in the pool.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Spawner = new(() =>
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "grader-runner-spawner" };
        thread.Start();
        return thread;
    });

    public static Process Start(ProcessStartInfo info)
    {
        _ = Spawner.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException("the runner process did not start"));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
