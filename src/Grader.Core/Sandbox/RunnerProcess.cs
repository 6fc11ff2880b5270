using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grader.Core.Sandbox;

public enum RunnerFailure
{
    None,
    /// <summary>No reply within the deadline; the runner was killed.</summary>
    Timeout,
    /// <summary>The runner died (stack overflow, fail-fast, exit, a signal) before replying.</summary>
    Died,
    /// <summary>A reply that is not valid, or carries the wrong nonce: never believed.</summary>
    BadReply,
}

public sealed record RunnerExchange(RunnerReply? Reply, RunnerFailure Failure, string Detail = "")
{
    public bool Succeeded => Reply is not null && Failure == RunnerFailure.None;
}

/// <summary>One sandboxed runner process, used for one submission and then killed.</summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private const int StderrCap = 8 * 1024;

    private readonly Process _process;
    private readonly Action _afterExit;
    private readonly StringBuilder _stderr = new();
    private readonly char[] _readBuffer = new char[16 * 1024];
    private int _readStart;
    private int _readEnd;
    private readonly Task _stderrPump;
    private readonly bool _killTree;
    private int _disposed;

    // killTree: whether killing the runner must find and kill its descendants too. Not under
    // bubblewrap: there the process we started is the parent of the PID namespace's init, which
    // dies with it (--die-with-parent), and the kernel then kills everything in the namespace.
    // The tree walk reads /proc/*/stat of every process on the machine; it cost the host more CPU
    // per submission than storing the grade.
    internal RunnerProcess(Process process, Action afterExit, bool killTree = true)
    {
        _process = process;
        _afterExit = afterExit;
        _killTree = killTree;
        _stderrPump = PumpStderrAsync();
    }

    public int ProcessId => _process.Id;

    /// <summary>Whether the runner has ended; a pre-started one may die while it waits in the pool.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>How a runner that ended on its own went, for the log.</summary>
    internal string ExitDescription
    {
        get
        {
            lock (_stderr)
            {
                var stderr = _stderr.ToString();
                return $"exit code {(_process.HasExited ? _process.ExitCode : "none yet")}; stderr: {(stderr.Length == 0 ? "(empty)" : stderr[..Math.Min(stderr.Length, 1000)])}";
            }
        }
    }

    /// <summary>Waits for the runner's "ready" line: the runtime is up and blocked on the protocol.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var line = await ReadLineAsync(cts.Token).ConfigureAwait(false);
            return line == "ready";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Sends one request with a fresh nonce and waits for its reply until the deadline.</summary>
    public async Task<RunnerExchange> SendAsync(RunnerRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var nonce = Post([request])[0];
        return await ReceiveAsync(nonce, timeout, cancellationToken).ConfigureAwait(false);
    }

    private Task _writing = Task.CompletedTask;

    /// <summary>
    /// Queues requests for the runner, each with a fresh nonce, without waiting for them to be
    /// written: the runner reads the next only after answering the one before, so a batch larger
    /// than the pipe must be written while its replies are read. Replies come back in this order,
    /// one <see cref="ReceiveAsync"/> each.
    /// </summary>
    public IReadOnlyList<string> Post(IReadOnlyList<RunnerRequest> requests)
    {
        var nonces = new List<string>(requests.Count);
        var lines = new StringBuilder();
        foreach (var request in requests)
        {
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            nonces.Add(nonce);
            lines.Append(JsonSerializer.Serialize(request with { Nonce = nonce }, RunnerJson.Context.RunnerRequest)).Append('\n');
        }
        var previous = _writing;
        _writing = WriteAsync(previous, lines.ToString());
        return nonces;
    }

    private async Task WriteAsync(Task previous, string lines)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await _process.StandardInput.WriteAsync(lines.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The runner is gone: the reply that never comes says so.
        }
    }

    /// <summary>Waits until the deadline for the reply carrying <paramref name="nonce"/>, the next one due.</summary>
    public async Task<RunnerExchange> ReceiveAsync(string nonce, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        string? line;
        try
        {
            line = await ReadLineAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return new RunnerExchange(null, RunnerFailure.Timeout);
        }
        catch (IOException)
        {
            line = null;
        }
        catch (InvalidDataException)
        {
            Kill();
            return new RunnerExchange(null, RunnerFailure.BadReply, $"the runner's reply was longer than {RunnerProtocol.MaxReplyChars >> 20} MiB");
        }
        if (line is null)
        {
            // Let a runner that is on its way out finish exiting, so its exit code is its own and
            // not the SIGKILL we would send: that is how a kill from outside is told apart.
            await WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            Kill();
            await WaitForExitAsync().ConfigureAwait(false);
            return new RunnerExchange(null, RunnerFailure.Died, DescribeDeath());
        }
        RunnerReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(line, RunnerJson.Context.RunnerReply);
        }
        catch (JsonException)
        {
            reply = null;
        }
        if (reply is null || reply.Nonce != nonce)
        {
            Kill();
            return new RunnerExchange(null, RunnerFailure.BadReply, "the runner's reply was malformed or did not carry this request's nonce");
        }
        return new RunnerExchange(reply, RunnerFailure.None);
    }

    /// <summary>
    /// Reads one line of the runner's output, refusing (with <see cref="InvalidDataException"/>)
    /// to hold more than <see cref="RunnerProtocol.MaxReplyChars"/> of it: whatever wrote the line,
    /// it cannot make the host allocate without bound.
    /// </summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_readStart == _readEnd)
            {
                _readStart = 0;
                _readEnd = await _process.StandardOutput.ReadAsync(_readBuffer.AsMemory(), CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (_readEnd == 0)
                {
                    return line.Length > 0 ? line.ToString() : null;
                }
            }
            int newline = Array.IndexOf(_readBuffer, '\n', _readStart, _readEnd - _readStart);
            int end = newline < 0 ? _readEnd : newline;
            if (line.Length + (end - _readStart) > RunnerProtocol.MaxReplyChars)
            {
                throw new InvalidDataException("the runner's reply line is too long");
            }
            line.Append(_readBuffer, _readStart, end - _readStart);
            _readStart = newline < 0 ? _readEnd : newline + 1;
            if (newline >= 0)
            {
                return line.ToString();
            }
        }
    }

    /// <summary>SIGKILL, never SIGTERM first: student code could trap a polite signal.</summary>
    /// <summary>Why a runner never said ready: its exit code and the start of its stderr, for the log.</summary>
    internal async Task<string> StartFailureAsync()
    {
        await WaitForExitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }
        var exit = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
        return $"{exit}; stderr: {(stderr.Length == 0 ? "(empty)" : stderr[..Math.Min(stderr.Length, 1000)])}";
    }

    /// <summary>The death detail of a runner SIGKILLed by something other than this host: not the student's doing.</summary>
    public const string Killed = "KilledFromOutside";

    private volatile bool _killedByUs;

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Only a kill that reaches a live runner is ours: flagging one that had already died
                // would disguise a kill from outside as the submission's own exit.
                _killedByUs = true;
                _process.Kill(entireProcessTree: _killTree);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Kill();
        await WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        _afterExit();
    }

    private Task WaitForExitAsync() => WaitForExitAsync(TimeSpan.FromSeconds(10));

    private async Task WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await _stderrPump.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private string DescribeDeath()
    {
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }
        int? exit = _process.HasExited ? _process.ExitCode : null;
        if (exit == 128 + 9 && !_killedByUs)
        {
            return Killed;
        }
        if (stderr.Contains("Stack overflow", StringComparison.Ordinal))
        {
            return "StackOverflow";
        }
        if (stderr.Contains("OutOfMemory", StringComparison.Ordinal) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
        {
            return "OutOfMemory";
        }
        return exit is { } code ? $"the process ended with exit code {code}" : "the process ended";
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < StderrCap)
                    {
                        _stderr.Append(buffer, 0, Math.Min(read, StderrCap - _stderr.Length));
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
