using System.Diagnostics;
using System.Globalization;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Engine benchmark: warm script compile vs class compile, runner handoff from the pool, and a whole
// warm grade of C1W2's reference. Prints a table; run with
//   dotnet run -c Release --project bench/Grader.Bench [-- <iterations>]
int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var root = FindRoot();
var packageDir = Path.Combine(root, "assignments", "dlai-c1w2-linear-systems");
var package = AssignmentPackage.Load(packageDir).Package ?? throw new InvalidOperationException("C1W2 package does not load");
var source = package.Reference;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Cpu()}, {MemoryGiB():0.#} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"source: C1W2 reference.csx, {source.Split('\n').Length} lines; {iterations} timed iterations after warm-up");
Console.WriteLine();

var compiler = ScriptCompiler.Default;
var rawScript = Measure(iterations, () => EmitScript(source));
var rawClass = Measure(iterations, () => EmitClass(source));
var full = Measure(iterations, () =>
{
    var r = compiler.Compile(source, CancellationToken.None);
    if (r.Status != CompileStatus.Ok) throw new InvalidOperationException(string.Join("; ", r.Diagnostics));
});

await using var engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 2 });
await engine.WarmAsync(CancellationToken.None);
var expected = await engine.ComputeExpectedAsync(package, CancellationToken.None);
var compiled = await engine.CompileAsync(source, CancellationToken.None);
var handoff = new List<double>();
var firstAnswer = new List<double>();
var pool = engine.Runners;
pool.Warm(256);
for (int i = 0; i < iterations + 3; i++)
{
    await Task.Delay(150); // let the pool refill, as between submissions
    var watch = Stopwatch.StartNew();
    await using var lease = await pool.RentAsync(256, CancellationToken.None);
    double rented = watch.Elapsed.TotalMilliseconds;
    var load = await lease.Process.SendAsync(new RunnerRequest { Op = RunnerOps.Load, Nonce = "", Assembly = Convert.ToBase64String(compiled.Assembly!) }, TimeSpan.FromSeconds(5), CancellationToken.None);
    if (!load.Succeeded) throw new InvalidOperationException("load failed");
    double loaded = watch.Elapsed.TotalMilliseconds;
    if (i >= 3)
    {
        handoff.Add(rented);
        firstAnswer.Add(loaded);
    }
}
var grade = new List<double>();
for (int i = 0; i < iterations + 3; i++)
{
    await Task.Delay(150);
    var watch = Stopwatch.StartNew();
    var report = await engine.GradeAsync(package, expected, source, new GradeOptions(), CancellationToken.None);
    if (report.Score != report.MaxScore) throw new InvalidOperationException(report.Summary);
    if (i >= 3) grade.Add(watch.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"isolation: {engine.IsolationMode}");
Console.WriteLine();
Console.WriteLine("| measure | median ms | p95 ms | target |");
Console.WriteLine("|---|---|---|---|");
Row("script compile + emit (CreateScriptCompilation)", rawScript, "");
Row("class compile + emit (same methods in a class)", rawClass, "");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| script / class ratio | {Median(rawScript) / Median(rawClass):0.00}× | | ≤ 1.3× |"));
Row("ScriptCompiler.Compile (checks + compile + emit + metadata scan)", full, "");
Row("runner handoff from the pool (rent a ready runner)", handoff, "≤ 30 ms");
Row("handoff + load submission (first answer)", firstAnswer, "");
Row("whole warm grade of C1W2 reference (compile server + 29 cases)", grade, "≤ 150 ms");
return 0;

static void Row(string name, List<double> samples, string target) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(samples):0.0} | {Percentile(samples, 0.95):0.0} | {target} |"));

static double Median(List<double> xs) => Percentile(xs, 0.5);

static double Percentile(List<double> xs, double p)
{
    var sorted = xs.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

static List<double> Measure(int iterations, Action action)
{
    for (int i = 0; i < 5; i++) action();
    var samples = new List<double>();
    for (int i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
    return samples;
}

static void EmitScript(string source)
{
    var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
    var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, scriptClassName: "Submission",
        usings: ["System", "System.Collections.Generic", "System.Linq", "MathNet.Numerics.LinearAlgebra"], optimizationLevel: OptimizationLevel.Release);
    Emit(CSharpCompilation.CreateScriptCompilation("s", tree, ScriptCompiler.Default.References, options));
}

static void EmitClass(string source)
{
    var usings = string.Join("\n", source.Split('\n').Where(l => l.TrimStart().StartsWith("using ", StringComparison.Ordinal)));
    var body = string.Join("\n", source.Split('\n').Where(l => !l.TrimStart().StartsWith("using ", StringComparison.Ordinal)));
    var text = $"using System; using System.Collections.Generic; using System.Linq; using MathNet.Numerics.LinearAlgebra;\n{usings}\npublic class Submission {{\n{body}\n}}";
    var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
    var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release);
    Emit(CSharpCompilation.Create("c", [tree], ScriptCompiler.Default.References, options));
}

static void Emit(Compilation compilation)
{
    using var stream = new MemoryStream();
    var result = compilation.Emit(stream);
    if (!result.Success) throw new InvalidOperationException(string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Grader.sln"))) return d.FullName;
    }
    throw new InvalidOperationException("Grader.sln not found");
}

static string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

static double MemoryGiB() => double.Parse(File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024 / 1024;
