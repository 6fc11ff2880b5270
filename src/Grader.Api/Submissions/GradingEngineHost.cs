using Grader.Core.Grading;
using Microsoft.Extensions.Options;

namespace Grader.Api.Submissions;

public sealed class GradingOptions
{
    // Pre-started runners; also the number of submissions graded at once on this node.
    [System.ComponentModel.DataAnnotations.Range(1, 64)]
    public int RunnerPoolSize { get; set; } = Math.Max(1, Environment.ProcessorCount);

    [System.ComponentModel.DataAnnotations.Range(1, 8)]
    public int CompilerProcesses { get; set; } = 1;

    // Infrastructure failures (never a student's timeout) are retried this many times in all.
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    public string? RunnerDirectory { get; set; }
    public string? CompilerDirectory { get; set; }
}

// The process's one GradingEngine: started once (eagerly on workers, so the runner
// pool is warm), shared by every job, disposed with the host. A failed start is kept and reported
// by the readiness check, and the next use tries again.
public sealed class GradingEngineHost(IOptions<GradingOptions> options, ILoggerFactory loggerFactory, Observability.GraderMetrics metrics) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GradingEngine? _engine;

    public Exception? StartFailure { get; private set; }
    public bool IsStarted => _engine is not null;
    public string? IsolationMode => _engine?.IsolationMode;

    public async Task<GradingEngine> GetAsync(CancellationToken cancellationToken)
    {
        if (_engine is { } engine)
        {
            return engine;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_engine is null)
            {
                try
                {
                    var o = options.Value;
                    _engine = GradingEngine.Start(new GradingEngineOptions
                    {
                        RunnerPoolSize = o.RunnerPoolSize,
                        CompilerProcesses = o.CompilerProcesses,
                        RunnerDirectory = o.RunnerDirectory,
                        CompilerDirectory = o.CompilerDirectory,
                    }, loggerFactory);
                    var runners = _engine.Runners;
                    metrics.ObserveRunnerPool(() => (runners.Size, runners.InUse, runners.Ready));
                    StartFailure = null;
                }
                catch (Exception e)
                {
                    StartFailure = e;
                    throw;
                }
            }
            return _engine;
        }
        finally
        {
            _gate.Release();
        }
    }

    // An early compile for a submission this node's workers will grade; nothing when the engine
    // is not running here (an API-only node, or one whose engine failed to start).
    public void CompileAhead(string source) => _engine?.CompileAhead(source);

    public async ValueTask DisposeAsync()
    {
        if (_engine is { } engine)
        {
            _engine = null;
            await engine.DisposeAsync().ConfigureAwait(false);
        }
        _gate.Dispose();
    }
}

// Starts the engine when a worker starts; a failure is logged, not fatal.
internal sealed class WarmGradingEngine(GradingEngineHost engine, ILogger<WarmGradingEngine> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await engine.GetAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Grading engine started, isolation {Isolation}", engine.IsolationMode);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The grading engine could not start; submissions stay queued and /health/ready reports it");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
