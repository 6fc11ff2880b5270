using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Grader.Core.Sandbox;
using Microsoft.Win32.SafeHandles;

namespace Grader.Runner;

/// <summary>
/// The private request/reply channel. The parent talks to us on fd 0/1; before any student code
/// runs we move those pipes to fresh descriptors and point 0/1 at /dev/null, so nothing the
/// submission could reach by the usual names can write a fake reply.
/// </summary>
internal sealed partial class ProtocolChannel
{
    private readonly StreamReader _reader;
    private readonly Stream _writer;

    private ProtocolChannel(StreamReader reader, Stream writer)
    {
        _reader = reader;
        _writer = writer;
    }

    public static ProtocolChannel TakeOverStandardStreams()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new ProtocolChannel(new StreamReader(Console.OpenStandardInput(), Encoding.UTF8), Console.OpenStandardOutput());
        }
        int input = Dup(0);
        int output = Dup(1);
        int devNull = Open("/dev/null", 2 /* O_RDWR */);
        if (input < 0 || output < 0 || devNull < 0 || Dup2(devNull, 0) < 0 || Dup2(devNull, 1) < 0)
        {
            throw new InvalidOperationException("could not move the protocol channel off the standard streams");
        }
        Close(devNull);
        var reader = new StreamReader(new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, 1), Encoding.UTF8, false, 1 << 16);
        var writer = new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, 1);
        return new ProtocolChannel(reader, writer);
    }

    public RunnerRequest? Read()
    {
        var line = _reader.ReadLine();
        return line is null ? null : RunnerWire.ReadRequest(line);
    }

    /// <summary>
    /// Sends a reply. One that would exceed <see cref="RunnerProtocol.MaxReplyBytes"/> (a result of
    /// millions of values, one huge string returned many times) or cannot be built in the memory
    /// left is replaced by a short reply saying so; the parent refuses longer lines anyway.
    /// </summary>
    public void Write(RunnerReply reply)
    {
        var buffer = new CappedBufferWriter(RunnerProtocol.MaxReplyBytes);
        try
        {
            Serialize(buffer, reply);
        }
        // The writer may wrap what the buffer throws.
        catch (Exception e) when (buffer.Overflowed || e is OutOfMemoryException || e.InnerException is OutOfMemoryException)
        {
            var status = buffer.Overflowed ? RunnerStatus.Exception : RunnerStatus.MemoryLimit;
            var fault = buffer.Overflowed
                ? new RunnerFault("ResultTooLarge", ["ResultTooLarge"], $"the result is too large to send back (over {RunnerProtocol.MaxReplyBytes >> 20} MiB as text)")
                : null;
            buffer = new CappedBufferWriter(RunnerProtocol.MaxReplyBytes);
            Serialize(buffer, new RunnerReply { Nonce = reply.Nonce, Status = status, Fault = fault, ElapsedMs = reply.ElapsedMs });
        }
        _writer.Write(buffer.WrittenSpan);
        _writer.WriteByte((byte)'\n');
        _writer.Flush();
    }

    private static void Serialize(CappedBufferWriter buffer, RunnerReply reply) => RunnerWire.WriteReply(buffer, reply);

    /// <summary>Grows up to a cap and refuses to go further, so an oversized reply is never built whole.</summary>
    private sealed class CappedBufferWriter(int cap) : IBufferWriter<byte>
    {
        private byte[] _buffer = new byte[4096];
        private int _written;

        public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

        public bool Overflowed { get; private set; }

        public void Advance(int count) => _written += count;

        // Reserve first: it may replace _buffer.
        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            int start = Reserve(sizeHint);
            return _buffer.AsMemory(start);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            int start = Reserve(sizeHint);
            return _buffer.AsSpan(start);
        }

        private int Reserve(int sizeHint)
        {
            long needed = (long)_written + Math.Max(sizeHint, 1);
            if (needed > cap)
            {
                Overflowed = true;
                throw new InvalidOperationException("the reply is too large");
            }
            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Min(cap, Math.Max(needed, 2L * _buffer.Length)));
            }
            return _written;
        }
    }

    public void WriteReady()
    {
        _writer.Write("ready\n"u8);
        _writer.Flush();
    }

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
