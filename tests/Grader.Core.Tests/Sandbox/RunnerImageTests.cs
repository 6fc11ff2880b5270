using System.Diagnostics;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

public sealed class RunnerImageTests
{
    // Every submission pays a runner's start. MathNet's generic code over double lives in MathNet,
    // double in CoreLib: only a composite image holding both (Grader.Runner.csproj) has it
    // precompiled. Without it a runner's warm-up JIT-compiled about 70 MathNet methods.
    [Fact]
    public async Task A_runner_warms_up_without_JIT_compiling_MathNet()
    {
        var runner = Path.Combine(AppContext.BaseDirectory, "runner");
        Assert.True(File.Exists(Path.Combine(runner, "Grader.Runner.r2r.dll")), "the runner has no composite ReadyToRun image");
        var listing = Path.Combine(Directory.CreateTempSubdirectory("grader-jit-").FullName, "jit.txt");
        try
        {
            var info = new ProcessStartInfo(Path.Combine(runner, RunnerLauncher.RunnerExecutable))
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            info.Environment.Clear();
            info.Environment["DOTNET_TieredPGO"] = "0";
            info.Environment["DOTNET_JitDisasmSummary"] = "1";
            info.Environment["DOTNET_JitStdOutFile"] = listing;
            using var process = Process.Start(info)!;
            // The runner says ready after its warm-up, then serves until its input ends.
            Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            var compiled = await File.ReadAllLinesAsync(listing);
            Assert.Contains(compiled, line => line.Contains("JIT compiled", StringComparison.Ordinal));
            Assert.DoesNotContain(compiled, line => line.Contains("MathNet.", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(listing)!, recursive: true);
        }
    }
}
