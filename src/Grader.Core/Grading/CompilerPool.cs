using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Grader.Core.Grading;

/// <summary>
/// Warm compile processes. A compile that overruns its deadline, or takes its process down, is a
/// verdict for that submission and a fresh process for the next one; the host never stalls.
/// </summary>
public sealed class CompilerPool : IAsyncDisposable
{
    private const string WarmSource = "double Warm(double x) => Math.Sqrt(x) + new[] { 1.0 }.Sum();";
    private static readonly TimeSpan WarmTimeout = TimeSpan.FromSeconds(60);

    private readonly string _compilerDirectory;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _available;
    private readonly Stack<CompilerProcess> _idle = new();
    private readonly Lock _idleLock = new();

    // Resubmitting the same file is common (a retry, a second student copying a first): its
    // compile is the same bytes, so it is kept. Keyed by the source's hash, as the compile depends
    // on nothing else (the reference set and the allowlist are the pool's own). A compile cut off
    // by its deadline says something about the machine at that moment and is never kept.
    private const int CacheEntries = 512;
    private readonly ConcurrentDictionary<string, CompileResult> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _cacheOrder = new();
    private long _cacheHits;

    /// <summary>Compiles answered from the cache so far (for metrics and tests).</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    // Compiles started ahead of their job (CompileAhead), by source hash, until they are cached.
    private readonly ConcurrentDictionary<string, Task<CompileResult>> _ahead = new(StringComparer.Ordinal);
    private long _aheadJoined;

    /// <summary>Compiles whose job found them already started ahead (for metrics and tests).</summary>
    public long AheadJoined => Interlocked.Read(ref _aheadJoined);

    public CompilerPool(string? compilerDirectory, int processes, TimeSpan timeout, ILogger logger)
    {
        _compilerDirectory = compilerDirectory ?? Path.Combine(AppContext.BaseDirectory, "compiler");
        if (!File.Exists(Path.Combine(_compilerDirectory, "Grader.Compiler.dll")))
        {
            throw new FileNotFoundException($"Grader.Compiler.dll not found in {_compilerDirectory}; build the solution so the compile server is copied beside the host");
        }
        _timeout = timeout;
        _logger = logger;
        _available = new SemaphoreSlim(processes, processes);
        for (int i = 0; i < processes; i++)
        {
            _idle.Push(new CompilerProcess(_compilerDirectory));
        }
    }

    /// <summary>Compiles once in every process so the first real submission finds Roslyn warm.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        CompilerProcess[] all;
        lock (_idleLock)
        {
            all = [.. _idle];
        }
        await Task.WhenAll(all.Select(p => p.CompileAsync(WarmSource, WarmTimeout, cancellationToken))).ConfigureAwait(false);
    }

    public async Task<CompileResult> CompileAsync(string source, CancellationToken cancellationToken)
    {
        var key = KeyOf(source);
        if (_cache.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref _cacheHits);
            return cached with { ElapsedMs = 0 };
        }
        if (_ahead.TryGetValue(key, out var ahead))
        {
            try
            {
                var early = await ahead.WaitAsync(cancellationToken).ConfigureAwait(false);
                // A compile cut off by its deadline is a verdict on the machine at that moment:
                // this submission gets its own try rather than that one's refusal.
                if (!IsCutOff(early))
                {
                    Interlocked.Increment(ref _aheadJoined);
                    return early;
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The early compile failed on its own (a host shutting down); compile here instead.
            }
        }
        return await CompileAndKeepAsync(key, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts compiling, in the background, a submission that is about to be graded, so that its
    /// compile overlaps its way through the queue; its job then finds the result (or joins the
    /// compile still under way) instead of compiling. Only when a compile process is idle: an
    /// early compile never makes a queued job's compile wait, and in a rush none is started.
    /// </summary>
    public bool CompileAhead(string source)
    {
        if (_available.CurrentCount == 0)
        {
            return false;
        }
        var key = KeyOf(source);
        if (_cache.ContainsKey(key))
        {
            return false;
        }
        var compile = new TaskCompletionSource<CompileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_ahead.TryAdd(key, compile.Task))
        {
            return false;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                compile.SetResult(await CompileAndKeepAsync(key, source, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                compile.SetException(e);
                // Nobody may ever ask for it; its failure is the job's to see, not an unobserved one.
                _ = compile.Task.Exception;
            }
            finally
            {
                // Kept results are in the cache by now; a cut-off one is left for the job to redo.
                _ahead.TryRemove(new KeyValuePair<string, Task<CompileResult>>(key, compile.Task));
            }
        });
        return true;
    }

    private static string KeyOf(string source) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    private static bool IsCutOff(CompileResult result) => result.Diagnostics.Any(d => d.Id == CompileLimits.CutOffId);

    private async Task<CompileResult> CompileAndKeepAsync(string key, string source, CancellationToken cancellationToken)
    {
        var result = await CompileUncachedAsync(source, cancellationToken).ConfigureAwait(false);
        if (!IsCutOff(result) && _cache.TryAdd(key, result))
        {
            _cacheOrder.Enqueue(key);
            while (_cacheOrder.Count > CacheEntries && _cacheOrder.TryDequeue(out var oldest))
            {
                _cache.TryRemove(oldest, out _);
            }
        }
        return result;
    }

    private async Task<CompileResult> CompileUncachedAsync(string source, CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        CompilerProcess process;
        lock (_idleLock)
        {
            process = _idle.Pop();
        }
        try
        {
            var outcome = await process.CompileAsync(source, _timeout, cancellationToken).ConfigureAwait(false);
            if (outcome.Result is { } result && !outcome.ProcessLost)
            {
                return result;
            }
            _logger.LogWarning("A compile process was lost ({Reason}); starting a fresh one", outcome.Reason);
            await process.DisposeAsync().ConfigureAwait(false);
            process = new CompilerProcess(_compilerDirectory);
            // Start it and JIT Roslyn now, on this submission's time: a cold start charged to the
            // next submission's deadline would refuse correct code on a busy machine.
            await process.CompileAsync(WarmSource, WarmTimeout, cancellationToken).ConfigureAwait(false);
            return outcome.Result ?? new CompileResult(CompileStatus.Rejected,
                [new SourceDiagnostic(CompileLimits.CutOffId, "error", 1, 1, outcome.Reason)], null, outcome.ElapsedMs);
        }
        finally
        {
            lock (_idleLock)
            {
                _idle.Push(process);
            }
            _available.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        CompilerProcess[] all;
        lock (_idleLock)
        {
            all = [.. _idle];
            _idle.Clear();
        }
        foreach (var process in all)
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
        _available.Dispose();
    }
}

internal sealed record CompileOutcome(CompileResult? Result, bool ProcessLost, string Reason, double ElapsedMs);

/// <summary>One compile server process, started lazily, with a cleared environment and a heap limit.</summary>
internal sealed class CompilerProcess(string compilerDirectory) : IAsyncDisposable
{
    private const long HeapLimitBytes = 1L << 30;
    private Process? _process;

    public async Task<CompileOutcome> CompileAsync(string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var process = await EnsureStartedAsync(cts.Token).ConfigureAwait(false);
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new CompileRequest(source), Sandbox.RunnerJson.Options).AsMemory(), CancellationToken.None).WaitAsync(cts.Token).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(CancellationToken.None).WaitAsync(cts.Token).ConfigureAwait(false);
            var line = await process.StandardOutput.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(cts.Token).ConfigureAwait(false);
            if (line is null)
            {
                Kill();
                return new CompileOutcome(null, true, "the compiler stopped while compiling this submission (it may need too much memory); simplify the code", watch.Elapsed.TotalMilliseconds);
            }
            var result = JsonSerializer.Deserialize<CompileResult>(line, Sandbox.RunnerJson.Options)!;
            bool lost = result.Status == CompileStatus.Rejected && result.Diagnostics.Any(d => d.Id == "GRD0009");
            if (lost)
            {
                Kill();
            }
            return new CompileOutcome(result with { ElapsedMs = watch.Elapsed.TotalMilliseconds }, lost, "out of memory", watch.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new CompileOutcome(null, true, $"compiling this submission took longer than {timeout.TotalSeconds:0} s; look for deeply nested lambdas or expressions", watch.Elapsed.TotalMilliseconds);
        }
        catch (IOException)
        {
            Kill();
            return new CompileOutcome(null, true, "the compiler stopped while compiling this submission; simplify the code", watch.Elapsed.TotalMilliseconds);
        }
    }

    private async Task<Process> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            return _process;
        }
        _process?.Dispose();
        var dotnet = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            // Not inherited: a parser stack overflow (parentheses nested 30 000 deep) prints a
            // 30 000-frame trace there, megabytes into the host's log for each such submission.
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing of the host's environment (connection strings, keys) reaches the compiler.
        info.Environment.Clear();
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_TieredPGO"] = "0";
        info.ArgumentList.Add(Path.Combine(compilerDirectory, "Grader.Compiler.dll"));
        var process = Process.Start(info) ?? throw new InvalidOperationException("the compile server did not start");
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        _process = process;
        var ready = await process.StandardOutput.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (ready != "ready")
        {
            Kill();
            throw new IOException("the compile server did not start");
        }
        return process;
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
