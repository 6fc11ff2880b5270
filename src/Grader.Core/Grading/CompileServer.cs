using System.Text.Json;

namespace Grader.Core.Grading;

public sealed record CompileRequest(string Source);

/// <summary>
/// The loop inside the compile process: one JSON request a line in, one <see cref="CompileResult"/>
/// a line out. Roslyn runs here so that a compile bomb can only take this process down.
/// </summary>
public static class CompileServer
{
    public static int Serve(TextReader input, TextWriter output)
    {
        var compiler = ScriptCompiler.Default;
        // Pay Roslyn's cold start before saying ready, so no student's compile deadline does.
        compiler.WarmUp(CancellationToken.None);
        output.WriteLine("ready");
        output.Flush();
        while (input.ReadLine() is { } line)
        {
            var request = JsonSerializer.Deserialize<CompileRequest>(line, Sandbox.RunnerJson.Options);
            CompileResult result;
            try
            {
                result = compiler.Compile(request?.Source ?? "", CancellationToken.None);
            }
            catch (OutOfMemoryException)
            {
                result = new CompileResult(CompileStatus.Rejected,
                    [new SourceDiagnostic("GRD0009", "error", 1, 1, "compiling this submission needed more memory than allowed; look for huge constants or deeply nested expressions")],
                    null, 0);
                output.WriteLine(JsonSerializer.Serialize(result, Sandbox.RunnerJson.Options));
                output.Flush();
                // The heap may be in a poor state after an out-of-memory: let the parent start a fresh process.
                return 3;
            }
            output.WriteLine(JsonSerializer.Serialize(result, Sandbox.RunnerJson.Options));
            output.Flush();
        }
        return 0;
    }
}
