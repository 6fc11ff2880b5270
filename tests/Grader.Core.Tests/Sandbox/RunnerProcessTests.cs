using System.Diagnostics;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

/// <summary>
/// The parent's side of the runner protocol against fake runners (shell scripts) that lie,
/// vanish or flood: nothing they send is believed unless it is a reply carrying the request's nonce.
/// </summary>
public sealed class RunnerProcessTests
{
    private static RunnerProcess FakeRunner(string script, Action? afterExit = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return new RunnerProcess(Process.Start(info)!, afterExit ?? (() => { }));
    }

    private static RunnerRequest Call() => new() { Op = RunnerOps.Call, Nonce = "", Function = "Mean", Args = [] };

    [Fact]
    public async Task A_reply_with_a_guessed_nonce_is_not_believed()
    {
        await using var runner = FakeRunner("""echo ready; read request; echo '{"nonce":"00000000000000000000000000000000","status":"ok","value":2.5}'; sleep 10""");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(exchange.Succeeded);
        Assert.Null(exchange.Reply);
        Assert.Equal(RunnerFailure.BadReply, exchange.Failure);
    }

    [Fact]
    public async Task A_reply_that_echoes_the_request_instead_of_answering_is_not_believed()
    {
        // The request carries the nonce; echoing it back whole is still not a reply with a status.
        await using var runner = FakeRunner("""echo ready; read request; echo "$request"; sleep 10""");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(exchange.Succeeded);
        Assert.Equal(RunnerFailure.BadReply, exchange.Failure);
    }

    [Fact]
    public async Task A_runner_that_exits_with_code_zero_without_replying_has_died()
    {
        await using var runner = FakeRunner("echo ready; read request; exit 0");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(exchange.Succeeded);
        Assert.Equal(RunnerFailure.Died, exchange.Failure);
        Assert.Contains("exit code 0", exchange.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_SIGKILLed_from_outside_before_the_call_is_reported_as_killed_from_outside()
    {
        // Not the submission's doing: the engine retries such a call on a fresh runner instead of
        // giving the student a verdict. Our own kill after the grace period must not disguise it.
        await using var runner = FakeRunner("echo ready; exec sleep 30");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        using (var process = Process.GetProcessById(runner.ProcessId))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(RunnerFailure.Died, exchange.Failure);
        Assert.Equal(RunnerProcess.Killed, exchange.Detail);
    }

    [Fact]
    public async Task A_runner_that_closes_its_output_but_lives_on_is_killed_by_us_and_not_reported_as_killed_from_outside()
    {
        await using var runner = FakeRunner("echo ready; exec 1>&-; sleep 30");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(RunnerFailure.Died, exchange.Failure);
        Assert.NotEqual(RunnerProcess.Killed, exchange.Detail);
        Assert.Contains("exit code 137", exchange.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_that_never_replies_times_out_and_is_killed()
    {
        bool exited = false;
        var runner = FakeRunner("echo ready; read request; trap '' TERM; while :; do :; done", () => exited = true);
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        await runner.DisposeAsync();

        Assert.Equal(RunnerFailure.Timeout, exchange.Failure);
        Assert.True(exited);
    }

    [Fact]
    public async Task A_reply_line_longer_than_the_cap_is_refused_without_reading_it_all()
    {
        // 200 MB on one line, with the nonce in front: the parent must stop reading at the cap.
        await using var runner = FakeRunner("""echo ready; read request; head -c 200000000 /dev/zero | tr '\0' 7; echo; sleep 10""");
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var exchange = await runner.SendAsync(Call(), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(RunnerFailure.BadReply, exchange.Failure);
        Assert.Contains("longer than", exchange.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_that_prints_something_else_than_ready_is_not_ready()
    {
        await using var runner = FakeRunner("""echo '{"nonce":"","status":"ok"}'; sleep 10""");

        bool ready = await runner.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(ready);
    }
}
