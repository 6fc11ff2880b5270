using System.Diagnostics;
using System.Text;

namespace Grader.Cli.Tests;

public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The `grader` command as a user gets it: the tool package packed from the build, installed with
/// `dotnet tool install` into a tool path of its own from that folder only, and run as a process.
/// </summary>
public sealed class GraderTool : IDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _installed;

    private readonly string _home = Directory.CreateTempSubdirectory("grader-cli-home-").FullName;

    /// <summary>XDG_CONFIG_HOME for this test's runs: where `grader login` keeps the key.</summary>
    public string ConfigHome => Path.Combine(_home, "config");

    public string CredentialsPath => Path.Combine(ConfigHome, "grader", "credentials.json");

    public static async Task<string> InstallAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_installed is null)
            {
                var root = Directory.CreateTempSubdirectory("grader-tool-").FullName;
                var packages = Path.Combine(root, "packages");
                var toolPath = Path.Combine(root, "tools");
                var testDir = new DirectoryInfo(AppContext.BaseDirectory);
                await MustAsync("dotnet", ["pack", Path.Combine(RepositoryRoot(), "src", "Grader.Cli"), "--no-build", "-c", testDir.Parent!.Name, "-o", packages]);
                // Only the local folder: a package of the same name elsewhere must not be picked.
                var config = Path.Combine(root, "nuget.config");
                await File.WriteAllTextAsync(config, $"""
                    <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
                    """);
                await MustAsync("dotnet", ["tool", "install", "grader", "--tool-path", toolPath, "--add-source", packages, "--configfile", config]);
                _installed = Path.Combine(toolPath, "grader");
            }
            return _installed;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<ToolRun> RunAsync(string workingDirectory, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(await InstallAsync()) { WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Environment.ProcessPath!)!;
        start.Environment["NO_COLOR"] = null;
        return await RunProcessAsync(start, stdin);
    }

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_home, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task MustAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var run = await RunProcessAsync(start, null);
        Assert.True(run.ExitCode == 0, $"{file} {string.Join(' ', args)}: {run}");
    }

    private static async Task<ToolRun> RunProcessAsync(ProcessStartInfo start, string? stdin)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end in 2 minutes.\n{await stdout}\n{await stderr}");
        }
        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Grader.sln not found above the test output.");
    }
}
