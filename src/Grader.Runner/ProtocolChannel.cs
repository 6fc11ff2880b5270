using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
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
        return line is null ? null : JsonSerializer.Deserialize(line, RunnerJson.Context.RunnerRequest);
    }

    public void Write(RunnerReply reply)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, RunnerJson.Context.RunnerReply);
        _writer.Write(bytes);
        _writer.WriteByte((byte)'\n');
        _writer.Flush();
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
