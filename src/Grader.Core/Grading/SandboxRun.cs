using System.Diagnostics;
using System.Text.Json.Nodes;
using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;

namespace Grader.Core.Grading;

/// <summary>One call to make in the sandbox.</summary>
// Limit: this call's wall limit, when its case sets its own; else the run's per-call limit.
internal sealed record SandboxCall(string Function, JsonArray Args, bool ReturnArgs, TimeSpan? Limit = null);

/// <summary>What became of one call: the runner's answer, or the limit it hit.</summary>
internal sealed record SandboxCallResult
{
    public required CaseVerdict? LimitHit { get; init; }
    public CallOutcome Outcome { get; init; } = new();
    public string Output { get; init; } = "";
    public double ElapsedMs { get; init; }
    /// <summary>Why the call did not produce an outcome (timeout, death), in words for the student.</summary>
    public string Detail { get; init; } = "";
    public string? ErrorType { get; init; }
    /// <summary>The submission's top-level code failed, so the call was never made.</summary>
    public bool TopLevelFailed { get; init; }
}

/// <summary>
/// Runs a compiled submission's calls in sandboxed runners under per-call and whole-run deadlines.
/// A runner that timed out, died or ran out of memory is replaced by a fresh one, which loads the
/// submission again, so one bad case does not sink the others.
/// </summary>
/// <remarks>
/// The whole-run budget counts only the time a runner spends on this submission (loading it and
/// answering calls). Waiting for a free runner slot, starting a runner and killing one are the
/// grader's time: charged to the student, a queue behind other submissions or a slow machine
/// would fail correct code.
/// </remarks>
internal sealed class SandboxRun(RunnerPool pool, byte[] assembly, byte[]? helperAssembly, int memoryMb, int outputCapBytes, TimeSpan callLimit, TimeSpan totalLimit) : IAsyncDisposable
{
    private readonly Stopwatch _clock = new();
    private RunnerLease? _lease;
    private SandboxCallResult? _loadFailure;

    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>How the submission's top-level code failed, once it has; every later call gets this.</summary>
    public SandboxCallResult? TopLevelFailure => _loadFailure;

    /// <summary>
    /// Makes one call. A runner killed from outside (not by our deadline, not by anything the
    /// submission can do) is the machine's fault: the call is tried once more on a fresh runner,
    /// and a second such death throws <see cref="SandboxFailureException"/> so that the caller
    /// retries the whole grading instead of giving the student a verdict they did not earn.
    /// </summary>
    public async Task<SandboxCallResult> CallAsync(SandboxCall call, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var result = await CallOnceAsync(call, cancellationToken).ConfigureAwait(false);
            if (result.ErrorType != RunnerProcess.Killed)
            {
                return result;
            }
            await ReleaseAsync().ConfigureAwait(false);
            _loadFailure = null;
            if (attempt == 2)
            {
                throw new SandboxFailureException("runners were killed from outside twice in a row (see the host's log); the grading should be retried");
            }
        }
    }

    private async Task<SandboxCallResult> CallOnceAsync(SandboxCall call, CancellationToken cancellationToken)
    {
        if (_loadFailure is not null)
        {
            return _loadFailure;
        }
        var remaining = totalLimit - _clock.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            return BudgetSpent();
        }
        var limit = remaining < callLimit ? remaining : callLimit;
        if (_lease is null)
        {
            _lease = await pool.RentAsync(memoryMb, cancellationToken).ConfigureAwait(false);
            var load = await TimedSendAsync(new RunnerRequest
            {
                Op = RunnerOps.Load,
                Nonce = "",
                Assembly = Convert.ToBase64String(assembly),
                HelperAssembly = helperAssembly is null ? null : Convert.ToBase64String(helperAssembly),
                OutputCapBytes = outputCapBytes,
            }, limit, cancellationToken).ConfigureAwait(false);
            var loaded = ToResult(load, limit, loading: true);
            if (loaded.LimitHit == CaseVerdict.Timeout && limit < callLimit)
            {
                // A reload (after an earlier call took its runner down) cut short by the budget
                // says nothing about the top-level code: the budget is spent, and the report
                // must say that rather than blame the top-level code.
                await ReleaseAsync().ConfigureAwait(false);
                return BudgetSpent();
            }
            if (loaded.LimitHit is not null || loaded.Outcome.Fault is not null)
            {
                // Top-level statements that fail or never finish fail every case the same way.
                _loadFailure = loaded with { TopLevelFailed = true };
                await ReleaseAsync().ConfigureAwait(false);
                return _loadFailure;
            }
            remaining = totalLimit - _clock.Elapsed;
        }
        var own = call.Limit ?? callLimit;
        limit = remaining < own ? remaining : own;
        if (limit <= TimeSpan.Zero)
        {
            return BudgetSpent();
        }
        var exchange = await TimedSendAsync(new RunnerRequest
        {
            Op = RunnerOps.Call,
            Nonce = "",
            Function = call.Function,
            Args = (JsonArray)call.Args.DeepClone(),
            ReturnArgs = call.ReturnArgs,
            OutputCapBytes = outputCapBytes,
        }, limit, cancellationToken).ConfigureAwait(false);
        var result = ToResult(exchange, limit, loading: false);
        if (result.LimitHit is not null)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        return result;
    }

    private async Task<RunnerExchange> TimedSendAsync(RunnerRequest request, TimeSpan limit, CancellationToken cancellationToken)
    {
        _clock.Start();
        try
        {
            return await _lease!.Process.SendAsync(request, limit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _clock.Stop();
        }
    }

    private SandboxCallResult BudgetSpent() =>
        new() { LimitHit = CaseVerdict.NotRun, Detail = $"not run: the submission used its whole time budget ({totalLimit.TotalSeconds:0.#} s)" };

    private SandboxCallResult ToResult(RunnerExchange exchange, TimeSpan limit, bool loading)
    {
        var what = loading ? "the submission's top-level code" : "the call";
        if (!exchange.Succeeded)
        {
            return exchange.Failure switch
            {
                RunnerFailure.Timeout => new SandboxCallResult
                {
                    LimitHit = CaseVerdict.Timeout,
                    ElapsedMs = limit.TotalMilliseconds,
                    Detail = $"{what} did not finish within {limit.TotalMilliseconds:0} ms (an endless loop, or far too much work)",
                },
                _ when exchange.Detail == RunnerProcess.Killed => new SandboxCallResult
                {
                    LimitHit = CaseVerdict.RuntimeError,
                    ErrorType = RunnerProcess.Killed,
                    Detail = "the runner was killed from outside",
                },
                _ when exchange.Detail == "OutOfMemory" => new SandboxCallResult
                {
                    LimitHit = CaseVerdict.MemoryLimit,
                    Detail = $"{what} used more than the {memoryMb} MiB memory limit",
                },
                _ => new SandboxCallResult
                {
                    LimitHit = CaseVerdict.RuntimeError,
                    ErrorType = exchange.Detail == "StackOverflow" ? "StackOverflow" : "ProcessEnded",
                    Detail = exchange.Detail == "StackOverflow"
                        ? $"{what} overflowed the stack (unbounded recursion?)"
                        : $"{what} ended the program without returning a result ({exchange.Detail}); do not exit or crash the process",
                },
            };
        }
        var reply = exchange.Reply!;
        return reply.Status switch
        {
            RunnerStatus.Ok or RunnerStatus.Exception => new SandboxCallResult
            {
                LimitHit = null,
                Outcome = new CallOutcome { Value = reply.Value, Fault = reply.Fault, ArgsAfter = reply.ArgsAfter },
                Output = reply.Output,
                ElapsedMs = reply.ElapsedMs,
            },
            RunnerStatus.MemoryLimit => new SandboxCallResult
            {
                LimitHit = CaseVerdict.MemoryLimit,
                Output = reply.Output,
                ElapsedMs = reply.ElapsedMs,
                Detail = $"{what} used more than the {memoryMb} MiB memory limit",
            },
            RunnerStatus.OutputLimit => new SandboxCallResult
            {
                LimitHit = CaseVerdict.OutputLimit,
                Output = reply.Output,
                ElapsedMs = reply.ElapsedMs,
                Detail = $"{what} wrote more than {outputCapBytes / 1024} KiB to the console and was stopped there",
            },
            _ => new SandboxCallResult
            {
                LimitHit = CaseVerdict.RuntimeError,
                ErrorType = "BadRequest",
                Detail = reply.Fault?.Message ?? "the runner refused the request",
            },
        };
    }

    private async Task ReleaseAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
            _lease = null;
        }
    }

    public ValueTask DisposeAsync() => _lease is null ? ValueTask.CompletedTask : new ValueTask(ReleaseAsync());
}
