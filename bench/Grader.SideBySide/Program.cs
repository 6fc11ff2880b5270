// Grades the same submissions three ways and prints per-submission wall and CPU time side by side:
//   1. Grader: compile server + one fresh sandboxed runner per submission + trusted-side comparison;
//   2. the approach of Gradescope's C# sample: per submission a generated project (the submission
//      in a class, a harness over the same cases), `dotnet build`, then run it;
//   3. in-process CSharpScript with no sandbox at all: a speed reference, never a design option.
// The results of 2 and 3 are scored with Grader's own comparators against the same expected
// outputs, and each submission must pass the same cases as under Grader.
//
//   dotnet run -c Release --project bench/Grader.SideBySide [-- <grader n, 40> <gradescope-style n, 4> <in-process n, 40>]
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Grading.Comparators;
using Grader.Runner;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
var (graderRuns, gradescopeRuns, inProcessRuns) = (Arg(0, 40), Arg(1, 4), Arg(2, 40));

var root = FindRoot();
var packageDir = Path.Combine(root, "assignments", "dlai-c1w2-linear-systems");
var package = AssignmentPackage.Load(packageDir).Package ?? throw new InvalidOperationException("C1W2 does not load");
var sources = new[] { package.Reference }
    .Concat(Directory.GetFiles(Path.Combine(packageDir, "mistakes"), "*.csx").Order(StringComparer.Ordinal).Select(File.ReadAllText))
    .ToArray();
// A comment no one wrote before: no cache keyed by the source helps any of the three.
string Unique(int i) => sources[i % sources.Length] + $"\n// {Guid.NewGuid()}\n";

var cpu = CpuClock.Start();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; commit {Git("rev-parse --short HEAD")}
    load average at start: {File.ReadAllText("/proc/loadavg").Trim()}
    workload: {package.Id}, {package.Manifest.Cases.Count} cases, its reference and {sources.Length - 1} mistakes in turn, each made unique
    cpu: {(cpu.Accounted ? "this process and its children, from a cgroup of their own (cpuacct)" : "this process and its reaped children only (no writable cgroup v1 cpuacct): runner time is missing")}
    """));

await using var engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 2 });
await engine.WarmAsync(CancellationToken.None);
var expected = await engine.ComputeExpectedAsync(package, CancellationToken.None);

// What Grader passes for each distinct source: the others must pass the same cases.
var graderPassed = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var source in sources)
{
    graderPassed[source] = Passed(await engine.GradeAsync(package, expected, source, new GradeOptions(), CancellationToken.None));
}

var graderSample = await MeasureAsync(graderRuns, async i =>
{
    var report = await engine.GradeAsync(package, expected, Unique(i), new GradeOptions(), CancellationToken.None);
    return Passed(report) == graderPassed[sources[i % sources.Length]];
});

var harness = new GeneratedProjects(root, package);
await harness.PrepareAsync();
var gradescopeSample = await MeasureAsync(gradescopeRuns, async i =>
    Agrees("Gradescope-style", i, Score(await harness.BuildAndRunAsync(Unique(i), i))));

var scriptOptions = ScriptOptions.Default
    .AddReferences(typeof(Matrix<double>).Assembly)
    .AddImports("System", "System.Linq", "System.Collections.Generic");
await InProcessAsync(sources[0]); // warm Roslyn, as the others are warm
var inProcessSample = await MeasureAsync(inProcessRuns, async i =>
    Agrees("in-process", i, Score(await InProcessAsync(Unique(i)))));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    load average at end: {File.ReadAllText("/proc/loadavg").Trim()}

    | approach | submissions | wall median ms | wall p95 ms | CPU per submission ms | same cases passed as Grader |
    |---|---|---|---|---|---|
    {graderSample.Row("Grader (compile server + fresh sandboxed runner + compare)")}
    {gradescopeSample.Row("Gradescope-style (generated project, dotnet build, run)")}
    {inProcessSample.Row("in-process CSharpScript, no sandbox")}

    Grader vs Gradescope-style: {gradescopeSample.WallMedian / graderSample.WallMedian:0.#}x faster in wall time, {gradescopeSample.CpuPer / graderSample.CpuPer:0.#}x less CPU per submission (target: at least 20x)
    Grader vs in-process: {graderSample.WallMedian / inProcessSample.WallMedian:0.#}x the wall time, {graderSample.CpuPer / inProcessSample.CpuPer:0.#}x the CPU per submission (target: within 3x)
    """));
return graderSample.AllAgree && gradescopeSample.AllAgree && inProcessSample.AllAgree ? 0 : 1;

async Task<Sample> MeasureAsync(int n, Func<int, Task<bool>> one)
{
    var walls = new List<double>();
    bool agree = true;
    var before = cpu.Read();
    for (int i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        agree &= await one(i);
        walls.Add(watch.Elapsed.TotalMilliseconds);
    }
    return new Sample(n, walls, (cpu.Read() - before) / Math.Max(n, 1), agree);
}

// In this process: compile the script once, then call each case's function directly.
async Task<IReadOnlyDictionary<string, CallOutcome>> InProcessAsync(string source)
{
    var functions = package.Manifest.Cases.Select(c => c.Function).Distinct(StringComparer.Ordinal).ToList();
    // Each method group becomes a delegate of its natural type, so the calls need no compile each.
    var table = "\nreturn new System.Collections.Generic.Dictionary<string, System.Delegate> { "
        + string.Join(", ", functions.Select(f => $"[\"{f}\"] = {f}")) + " };";
    var state = await CSharpScript.RunAsync<Dictionary<string, Delegate>>(source + table, scriptOptions);
    var outcomes = new Dictionary<string, CallOutcome>(StringComparer.Ordinal);
    foreach (var spec in package.Manifest.Cases)
    {
        var function = state.ReturnValue[spec.Function];
        outcomes[spec.Name] = Invoke(function.Method, function.Target, package.ResolvedArgs[spec.Name]);
    }
    return outcomes;
}

static CallOutcome Invoke(MethodInfo method, object? target, JsonArray args)
{
    var parameters = method.GetParameters();
    try
    {
        var values = parameters.Select((p, i) => PlainConverter.ToObject(args[i]?.DeepClone(), p.ParameterType)).ToArray();
        var value = PlainConverter.ToPlain(method.Invoke(target, values));
        return new CallOutcome { Value = value, ArgsAfter = [.. values.Select(PlainConverter.ToPlain)] };
    }
    catch (TargetInvocationException e) when (e.InnerException is { } inner)
    {
        var chain = new List<string>();
        for (var t = inner.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Add(t.FullName ?? t.Name);
        }
        return new CallOutcome { Fault = new Grader.Core.Sandbox.RunnerFault(chain[0], chain, inner.Message) };
    }
}

bool Agrees(string approach, int i, int passed)
{
    var grader = graderPassed[sources[i % sources.Length]];
    if (passed != grader)
    {
        Console.WriteLine($"{approach}: submission {i} (source {i % sources.Length}) passed {passed} cases, Grader {grader}");
    }
    return passed == grader;
}

int Score(IReadOnlyDictionary<string, CallOutcome> outcomes) => package.Manifest.Cases.Count(spec =>
{
    if (!outcomes.TryGetValue(spec.Name, out var actual))
    {
        return false;
    }
    var reference = expected.ByCase.GetValueOrDefault(spec.Name);
    return CaseComparators.For(spec.Comparator)!.Compare(new ComparisonInput
    {
        Args = package.ResolvedArgs[spec.Name],
        Expected = reference?.Value,
        Reference = reference,
        Actual = actual,
        Parameters = spec.Comparator ?? [],
    }).Passed;
});

static int Passed(GradeReport report) => report.Exercises.SelectMany(e => e.Cases).Count(c => c.Verdict == CaseVerdict.Passed);

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the Grader repository");
}

static string Git(string arguments)
{
    using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = git.StandardOutput.ReadToEnd().Trim();
    git.WaitForExit();
    return output;
}

internal sealed record Sample(int Count, List<double> Walls, double CpuPer, bool AllAgree)
{
    public double WallMedian => Percentile(0.5);

    public string Row(string name) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Count} | {WallMedian:0.0} | {Percentile(0.95):0.0} | {CpuPer:0.0} | {(AllAgree ? "yes" : "NO")} |");

    private double Percentile(double p)
    {
        var sorted = Walls.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
