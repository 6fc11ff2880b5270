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
    private List<SandboxCall> _plan = [];
    private int _planNext;
    private readonly Queue<(SandboxCall Call, string Nonce)> _inFlight = new();

    /// <summary>
    /// The calls about to be made, in order. They are sent to the runner as one batch, so a
    /// submission costs one round trip per batch rather than one per case; the runner starts each
    /// as soon as it has answered the one before. Nothing of a batch reaches the runner before every
    /// call of the batch before it has been answered, so the engine keeps hidden cases' inputs
    /// out of the runner until the visible cases are done. A call not in the plan goes alone.
    /// </summary>
    public void Plan(IEnumerable<SandboxCall> calls)
    {
        if (_inFlight.Count > 0)
        {
            throw new InvalidOperationException("a new plan while calls of the last one are still in flight");
        }
        _plan = [.. calls];
        _planNext = 0;
    }

    private bool IsNextPlanned(SandboxCall call) => _planNext < _plan.Count && ReferenceEquals(_plan[_planNext], call);

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
                if (IsNextPlanned(call))
                {
                    _planNext++;
                }
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
        if (_inFlight.Count == 0 && IsNextPlanned(call))
        {
            // This call and every later one of the plan, in one write; on a fresh runner after a
            // limit was hit, the rest of the plan again.
            var batch = _plan[_planNext..];
            var nonces = _lease!.Process.Post([.. batch.Select(CallRequest)]);
            for (int i = 0; i < batch.Count; i++)
            {
                _inFlight.Enqueue((batch[i], nonces[i]));
            }
        }
        RunnerExchange exchange;
        if (_inFlight.TryPeek(out var head))
        {
            if (!ReferenceEquals(head.Call, call))
            {
                throw new InvalidOperationException($"call {call.Function} made out of the planned order");
            }
            _inFlight.Dequeue();
            exchange = await TimedAsync(() => _lease!.Process.ReceiveAsync(head.Nonce, limit, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            exchange = await TimedSendAsync(CallRequest(call), limit, cancellationToken).ConfigureAwait(false);
        }
        var result = ToResult(exchange, limit, loading: false);
        if (result.LimitHit is not null)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        return result;
    }

    private RunnerRequest CallRequest(SandboxCall call) => new()
    {
        Op = RunnerOps.Call,
        Nonce = "",
        Function = call.Function,
        Args = (JsonArray)call.Args.DeepClone(),
        ReturnArgs = call.ReturnArgs,
        OutputCapBytes = outputCapBytes,
    };

    private Task<RunnerExchange> TimedSendAsync(RunnerRequest request, TimeSpan limit, CancellationToken cancellationToken) =>
        TimedAsync(() => _lease!.Process.SendAsync(request, limit, cancellationToken));

    private async Task<RunnerExchange> TimedAsync(Func<Task<RunnerExchange>> exchange)
    {
        _clock.Start();
        try
        {
            return await exchange().ConfigureAwait(false);
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
        // What was sent to this runner died with it; the rest of the plan goes to the next.
        _inFlight.Clear();
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
            _lease = null;
        }
    }

    public ValueTask DisposeAsync() => _lease is null ? ValueTask.CompletedTask : new ValueTask(ReleaseAsync());
}
