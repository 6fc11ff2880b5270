using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Grader.Core.Sandbox;

/// <summary>A runner rented for one submission; disposing it kills the process and frees the slot.</summary>
public sealed class RunnerLease(RunnerProcess process, Action release) : IAsyncDisposable
{
    private int _released;

    public RunnerProcess Process { get; } = process;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await Process.DisposeAsync().ConfigureAwait(false);
            release();
        }
    }
}

/// <summary>
/// Keeps runners started ahead of time (past runtime start-up, blocked on their protocol), so a
/// submission gets one at once. A runner serves one submission and is never reused. The number of
/// slots bounds how many submissions run at the same time.
/// </summary>
public sealed class RunnerPool : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly RunnerLauncher _launcher;
    private readonly ILogger _logger;
    private readonly int _size;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<int, ConcurrentQueue<Task<RunnerProcess?>>> _ready = new();
    private readonly CancellationTokenSource _stopping = new();

    public RunnerPool(RunnerLauncher launcher, int size, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _launcher = launcher;
        _logger = logger;
        _size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    public RunnerLauncher Launcher => _launcher;

    /// <summary>How many runners are busy right now.</summary>
    public int InUse => _size - _slots.CurrentCount;

    public int Size => _size;

    private int _started;
    private int _diedWaiting;

    // Runner processes started so far, and those of them that died while they waited in the pool.
    public int StartedCount => Volatile.Read(ref _started);

    public int DiedWaitingCount => Volatile.Read(ref _diedWaiting);

    // Started ahead of demand and not yet rented (some may still be starting).
    public int Ready => _ready.Values.Sum(q => q.Count);

    /// <summary>Starts runners for the given memory limit ahead of demand.</summary>
    public void Warm(int memoryMb)
    {
        var queue = _ready.GetOrAdd(memoryMb, _ => new ConcurrentQueue<Task<RunnerProcess?>>());
        // Called from several threads at once (each rent refills): counted and filled under a lock,
        // or two refills would both see room and overshoot the pool.
        lock (queue)
        {
            while (queue.Count < _size && !_stopping.IsCancellationRequested)
            {
                queue.Enqueue(StartReadyAsync(memoryMb));
            }
        }
    }

    public async Task<RunnerLease> RentAsync(int memoryMb, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queue = _ready.GetOrAdd(memoryMb, _ => new ConcurrentQueue<Task<RunnerProcess?>>());
            RunnerProcess? process = null;
            while (process is null && queue.TryDequeue(out var pending))
            {
                process = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (process is { HasExited: true })
                {
                    // Handed out, a dead runner would fail the submission's first call for nothing.
                    Interlocked.Increment(ref _diedWaiting);
                    _logger.LogWarning("A pre-started runner died while it waited in the pool: {Detail}", process.ExitDescription);
                    await process.DisposeAsync().ConfigureAwait(false);
                    process = null;
                }
            }
            // The replacement starts on the thread pool: a launch (a uid to find, a fork and exec)
            // is several ms this submission need not wait for.
            ThreadPool.QueueUserWorkItem(static state => state.pool.Warm(state.memoryMb), (pool: this, memoryMb), preferLocal: false);
            // A start can fail for reasons of the moment (an oversubscribed machine); a few more tries
            // cost little, and each failure is logged with the runner's own exit code and stderr.
            for (int attempt = 0; process is null && attempt < 3; attempt++)
            {
                process = await StartReadyAsync(memoryMb).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            if (process is null)
            {
                throw new SandboxFailureException("a runner could not be started; see the log");
            }
            return new RunnerLease(process, () => _slots.Release());
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private async Task<RunnerProcess?> StartReadyAsync(int memoryMb)
    {
        RunnerProcess? process = null;
        try
        {
            process = _launcher.Start(new RunnerLimits { MemoryMb = memoryMb, CpuSeconds = 120 });
            Interlocked.Increment(ref _started);
            if (await process.WaitReadyAsync(StartTimeout, _stopping.Token).ConfigureAwait(false))
            {
                return process;
            }
            _logger.LogError("A runner did not become ready within {Seconds} s: {Detail}", StartTimeout.TotalSeconds, await process.StartFailureAsync().ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            _logger.LogError(e, "A runner could not be started");
        }
        if (process is not null)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var queue in _ready.Values)
        {
            while (queue.TryDequeue(out var pending))
            {
                if (await pending.ConfigureAwait(false) is { } process)
                {
                    await process.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        _stopping.Dispose();
        _slots.Dispose();
    }
}
