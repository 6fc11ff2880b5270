using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grader.Api.Tests.Infrastructure;

/// <summary>A separate Grader.Api process (the built binary), as a real extra node of the cluster.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join("\n", _output.TakeLast(60));
    public IReadOnlyList<string> Lines => [.. _output];

    public static NodeProcess Start(string connectionString, string roles, string name, int runners = 1, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceBinary())!,
        };
        start.ArgumentList.Add(ServiceBinary());
        start.Environment["ConnectionStrings__Grader"] = connectionString;
        start.Environment["Grader__Roles"] = roles;
        start.Environment["Database__MigrateOnStart"] = "true";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Grading__RunnerPoolSize"] = runners.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Queue__InstanceId"] = name;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return new NodeProcess(Process.Start(start)!);
    }

    /// <summary>SIGKILL, as a crashed machine: no shutdown hooks run.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The service built beside this test run (same configuration), with runner/ and compiler/ next to it.</summary>
    public static string ServiceBinary()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        for (var dir = testDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
            {
                var binary = Path.Combine(dir.FullName, "src", "Grader.Api", "bin", configuration, testDir.Name, "Grader.Api.dll");
                return File.Exists(binary) ? binary : throw new FileNotFoundException("Build src/Grader.Api first.", binary);
            }
        }
        throw new DirectoryNotFoundException("Grader.sln not found above the test output.");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 50_000 && _output.TryDequeue(out _))
        {
        }
    }
}
