using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Grader.Core.Grading;
using Grader.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grader.Core.Tests.Sandbox;

/// <summary>
/// Each layer must hold when the one before it fails: these programs are compiled WITHOUT the API
/// allowlist (as if it had a gap) and run in real runners, with bubblewrap and in the fallback
/// mode, to show what the OS isolation and the limits alone still stop.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class SandboxIsolationTests : IAsyncLifetime
{
    private const string SecretName = "GRADER_HOSTILE_TEST_SECRET";
    private const string SecretValue = "hunter2-HOSTILE";

    private readonly CapturingLoggerFactory _log = new();
    private RunnerPool _bubblewrap = null!;
    private RunnerPool _fallback = null!;

    public Task InitializeAsync()
    {
        // A secret in the host's environment, as a connection string or an API key would be.
        Environment.SetEnvironmentVariable(SecretName, SecretValue);
        var logger = _log.CreateLogger("isolation");
        _bubblewrap = new RunnerPool(RunnerLauncher.Create(null, IsolationPreference.Bubblewrap, logger), 1, logger);
        _fallback = new RunnerPool(RunnerLauncher.Create(null, IsolationPreference.Fallback, logger), 1, logger);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _bubblewrap.DisposeAsync();
        await _fallback.DisposeAsync();
    }

    private RunnerPool Pool(string mode) => mode == "bubblewrap" ? _bubblewrap : _fallback;

    /// <summary>Compiles a script with every framework assembly and unsafe code allowed: no allowlist at all.</summary>
    private static byte[] CompileUnchecked(string source)
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.StartsWith(runtime, StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(MathNet.Numerics.LinearAlgebra.Matrix<double>).Assembly.Location));
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, scriptClassName: CompileResult.ScriptClassName,
            usings: ["System", "System.Collections.Generic", "System.Linq", "System.IO"], allowUnsafe: true);
        using var stream = new MemoryStream();
        var emitted = CSharpCompilation.CreateScriptCompilation("hostile", tree, references, options).Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return stream.ToArray();
    }

    private async Task<SandboxCallResult> RunAsync(string mode, string source, int memoryMb = 256)
    {
        await using var run = new SandboxRun(Pool(mode), CompileUnchecked(source), null, memoryMb, 16 * 1024, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        try
        {
            return await run.CallAsync(new SandboxCall("Probe", [], false), CancellationToken.None);
        }
        catch (SandboxFailureException e)
        {
            throw new SandboxFailureException($"{e.Message}; log: {_log.Text}", e);
        }
    }

    /// <summary>Runs a probe that returns a string and returns it; the probe must not fail.</summary>
    private async Task<string> ProbeAsync(string mode, string body)
    {
        var result = await RunAsync(mode, "string Probe()\n{\n" + body + "\n}\n");
        Assert.True(result.LimitHit is null && result.Outcome.Fault is null, $"the probe failed: {result.LimitHit} {result.Detail} {result.Outcome.Fault}");
        return result.Outcome.Value!.GetValue<string>();
    }

    /// <summary>Describes what happened to an action: "done", or the exception's type.</summary>
    private const string Attempt = """
        static string Attempt(Action action)
        {
            try { action(); return "done"; }
            catch (Exception e) { return e.GetType().Name; }
        }

        """;

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task The_runner_environment_holds_only_dotnet_settings_and_home(string mode)
    {
        var variables = await ProbeAsync(mode, """
            return string.Join("\n", Environment.GetEnvironmentVariables().Keys.Cast<string>());
            """);

        var names = variables.Split('\n');
        // bubblewrap itself sets PWD (to /scratch) after changing directory.
        Assert.All(names, name => Assert.True(name.StartsWith("DOTNET_", StringComparison.Ordinal) || name == "HOME" || (name == "PWD" && mode == "bubblewrap"),
            $"unexpected variable {name}"));
        Assert.Contains("HOME", names);
        Assert.Contains("DOTNET_GCHeapHardLimit", names);
        Assert.DoesNotContain(SecretName, names);
    }

    [Fact]
    public async Task With_bubblewrap_host_files_cannot_be_read_listed_or_written()
    {
        var outcome = await ProbeAsync("bubblewrap", Attempt + """
            return string.Join("|",
                Attempt(() => File.ReadAllText("/etc/passwd")),
                Attempt(() => File.WriteAllText("/usr/lib/hostile", "x")),
                Attempt(() => File.WriteAllText("/runner/hostile", "x")),
                string.Join(",", Directory.GetFileSystemEntries("/").Select(Path.GetFileName).Order()));
            """);

        var parts = outcome.Split('|');
        Assert.NotEqual("done", parts[0]);
        Assert.NotEqual("done", parts[1]);
        Assert.NotEqual("done", parts[2]);
        var root = parts[3].Split(',');
        Assert.Empty(root.Intersect(["etc", "home", "root", "tmp", "var", "work", "bin", "sbin", "srv", "opt"]));
        Assert.Contains("scratch", root);
    }

    [Fact]
    public async Task In_the_fallback_mode_the_runner_is_not_root_and_cannot_write_outside_its_scratch_folder()
    {
        var outcome = await ProbeAsync("fallback", Attempt + """
            return string.Join("|",
                Attempt(() => File.ReadAllText("/etc/shadow")),
                Attempt(() => File.WriteAllText("/etc/hostile", "x")),
                Attempt(() => File.WriteAllText("/usr/lib/hostile", "x")),
                Attempt(() => File.WriteAllText("scratch-file", "x")));
            """);

        Assert.Equal(["UnauthorizedAccessException", "UnauthorizedAccessException", "UnauthorizedAccessException", "done"], outcome.Split('|'));
    }

    [Fact]
    public async Task With_bubblewrap_there_is_no_network_and_no_shell()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var outcome = await ProbeAsync("bubblewrap", Attempt + $$"""
            return string.Join("|",
                Attempt(() => new System.Net.Sockets.TcpClient().Connect("127.0.0.1", {{port}})),
                Attempt(() => System.Net.Dns.GetHostAddresses("example.com")),
                Attempt(() => System.Diagnostics.Process.Start("/bin/sh", "-c true")!.WaitForExit()));
            """);

        Assert.DoesNotContain("done", outcome.Split('|'));
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task Threads_and_processes_are_capped_by_the_runner_uid_process_limit(string mode)
    {
        var started = await ProbeAsync(mode, """
            int started = 0;
            try
            {
                for (int i = 0; i < 200; i++)
                {
                    new System.Threading.Thread(() => System.Threading.Thread.Sleep(2000)) { IsBackground = true }.Start();
                    started++;
                }
            }
            catch (Exception)
            {
            }
            return started.ToString(System.Globalization.CultureInfo.InvariantCulture);
            """);

        Assert.InRange(int.Parse(started, System.Globalization.CultureInfo.InvariantCulture), 1, 40);
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task Exiting_with_code_zero_is_a_runtime_error_not_a_pass(string mode)
    {
        var result = await RunAsync(mode, "string Probe() { Environment.Exit(0); return \"passed\"; }");

        Assert.Equal(CaseVerdict.RuntimeError, result.LimitHit);
        Assert.Equal("ProcessEnded", result.ErrorType);
        Assert.Contains("exit code 0", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task Fail_fast_is_a_runtime_error(string mode)
    {
        var result = await RunAsync(mode, "string Probe() { Environment.FailFast(\"HOSTILE\"); return \"passed\"; }");

        Assert.Equal(CaseVerdict.RuntimeError, result.LimitHit);
        Assert.Equal("ProcessEnded", result.ErrorType);
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task Killing_every_process_a_runner_may_signal_harms_no_other_runner(string mode)
    {
        // kill(-1, SIGKILL) reaches every process the caller may signal: with a uid per runner,
        // and a PID namespace with bubblewrap, that must be nothing but the runner's own processes.
        var killAll = await RunAsync(mode, """
            [System.Runtime.InteropServices.DllImport("libc")] static extern int kill(int pid, int sig);
            string Probe() => kill(-1, 9) == 0 ? "killed some" : "killed none";
            """);

        Assert.Null(killAll.LimitHit);
        Assert.Equal("alive", await ProbeAsync("bubblewrap", "return \"alive\";"));
        Assert.Equal("alive", await ProbeAsync("fallback", "return \"alive\";"));
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task Lifting_the_heap_limit_at_run_time_still_ends_in_a_memory_verdict(string mode)
    {
        var result = await RunAsync(mode, """
            string Probe()
            {
                AppContext.SetData("GCHeapHardLimit", (ulong)16 << 30);
                GC.RefreshMemoryLimit();
                var blocks = new List<byte[]>();
                for (int i = 0; i < 64; i++)
                {
                    var block = new byte[64 << 20];
                    Array.Fill(block, (byte)1);
                    blocks.Add(block);
                }
                return "allocated " + blocks.Count * 64 + " MiB";
            }
            """);

        Assert.True(result.LimitHit is CaseVerdict.MemoryLimit or CaseVerdict.RuntimeError, $"{result.LimitHit} {result.Outcome.Value}");
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task A_decimal_comma_culture_does_not_change_the_numbers_sent_back(string mode)
    {
        var result = await RunAsync(mode, """
            double Probe()
            {
                var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
                culture.NumberFormat.NumberDecimalSeparator = ",";
                culture.NumberFormat.NumberGroupSeparator = ".";
                System.Globalization.CultureInfo.CurrentCulture = culture;
                System.Globalization.CultureInfo.DefaultThreadCurrentCulture = culture;
                return double.Parse(2.5.ToString());
            }
            """);

        Assert.Null(result.LimitHit);
        Assert.True(PlainValues.TryGetNumber(result.Outcome.Value, out var value));
        Assert.Equal(2.5, value);
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("fallback")]
    public async Task A_process_that_leaves_the_runner_process_tree_does_not_outlive_the_submission(string mode)
    {
        // setsid + background: the child is re-parented away from the runner, out of reach of
        // killing the runner's process tree. Only where a shell is reachable (the fallback mode).
        var outcome = await ProbeAsync(mode, Attempt + """
            return Attempt(() => System.Diagnostics.Process.Start("/bin/sh", "-c \"setsid sleep 417 </dev/null >/dev/null 2>&1 &\"")!.WaitForExit());
            """);

        var survivors = SurvivingRunnerProcesses();
        Assert.True(survivors.Count == 0, $"{mode} ({outcome}): processes of runner uids outlived their runner: {string.Join("; ", survivors)}");
    }

    /// <summary>Processes owned by a runner uid (64000 and up) whose command line mentions "sleep 417".</summary>
    private static List<string> SurvivingRunnerProcesses()
    {
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(dir), out _))
                {
                    continue;
                }
                var uidLine = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                int uid = int.Parse(uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (uid >= 64000 && command.Contains("sleep 417", StringComparison.Ordinal))
                {
                    found.Add($"pid {Path.GetFileName(dir)} uid {uid}: {command}");
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
