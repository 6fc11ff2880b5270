using System.Text.Json;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

/// <summary>Deadlines, budgets and what a report may show, checked on the hostile package.</summary>
[Collection(HostileCollection.Name)]
public sealed class SandboxLimitsTests(HostileEngineFixture fixture)
{
    private static IEnumerable<CaseReport> Cases(GradeReport report) => report.Exercises.SelectMany(e => e.Cases);

    [Fact]
    public async Task A_function_that_loops_on_one_input_costs_only_that_case()
    {
        const string source = """
            using MathNet.Numerics.LinearAlgebra;

            double Mean(double[] xs)
            {
                while (xs.Any(x => x > 1000)) { }
                return xs.Sum() / xs.Length;
            }

            Matrix<double> Scale(Matrix<double> M, double k) => M * k;
            """;

        var report = await fixture.GradeAsync(source);

        Assert.True(report.Status == GradeStatus.Graded, report.Summary);
        Assert.Equal(CaseVerdict.Timeout, Cases(report).Single(c => c.Name == "mean-hidden").Verdict);
        Assert.All(Cases(report).Where(c => c.Name != "mean-hidden"), c => Assert.Equal(CaseVerdict.Passed, c.Verdict));
        Assert.Equal(75, report.Score);
    }

    [Fact]
    public async Task Cases_past_the_submission_budget_are_not_run()
    {
        // The same functions under a 2.5 s budget for four cases of up to 1 s each.
        var loaded = AssignmentPackage.Load(Path.Combine(HostileProgram.Directory, "..", "hostile-budget"));
        var package = loaded.Package ?? throw new InvalidOperationException(string.Join("; ", loaded.Problems));
        var expected = await fixture.Engine.ComputeExpectedAsync(package, CancellationToken.None);
        var source = File.ReadAllText(Path.Combine(HostileProgram.Directory, "..", "loop-everywhere.csx"));

        var report = await fixture.Engine.GradeAsync(package, expected, source, new GradeOptions(), CancellationToken.None);

        Assert.True(report.Status == GradeStatus.Graded, report.Summary);
        // Three timeouts use 2.5 s at least, so the last case to run (scale-hidden) never starts;
        // on a slow machine the reloads between them may use up the budget a case earlier.
        Assert.All(Cases(report), c => Assert.True(c.Verdict is CaseVerdict.Timeout or CaseVerdict.NotRun, $"{c.Name}: {c.Verdict}"));
        Assert.True(Cases(report).Count(c => c.Verdict == CaseVerdict.Timeout) >= 2, report.Summary);
        var notRun = Cases(report).Single(c => c.Name == "scale-hidden");
        Assert.Equal(CaseVerdict.NotRun, notRun.Verdict);
        Assert.Contains("time budget", notRun.Message, StringComparison.Ordinal);
        Assert.Equal(0, report.Score);
        Assert.Equal(0, fixture.Engine.RunnersInUse);
        Assert.Equal(100, (await fixture.GradeAsync(HostileEngineFixtureBase.Benign)).Score);
    }

    [Fact]
    public async Task Hidden_inputs_kept_from_call_to_call_never_reach_the_report()
    {
        // Every call prints, returns and throws everything it has seen so far, hidden inputs included.
        const string source = """
            using MathNet.Numerics.LinearAlgebra;

            var seen = new List<string>();

            string Seen() => string.Join(" ", seen);

            double Mean(double[] xs)
            {
                seen.Add(string.Join(",", xs));
                Console.WriteLine(Seen());
                if (xs.Length == 4 && xs[0] == 1) throw new InvalidOperationException(Seen());
                return xs.Length == 4 && xs[0] == 1 ? 0 : xs.Sum() / xs.Length;
            }

            Matrix<double> Scale(Matrix<double> M, double k)
            {
                seen.Add(M.ToString() + k);
                Console.WriteLine(Seen());
                if (k == 2) throw new InvalidOperationException(Seen());
                return M * k;
            }
            """;

        var report = await fixture.GradeAsync(source);

        var json = JsonSerializer.Serialize(report, RunnerJson.Options);
        Assert.True(report.Status == GradeStatus.Graded, report.Summary);
        Assert.Contains(Cases(report), c => c.Verdict == CaseVerdict.RuntimeError && !c.Hidden);
        Assert.All(HostileEngineFixtureBase.HiddenValues, hidden => Assert.DoesNotContain(hidden, json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hidden_cases_show_no_inputs_expected_values_output_or_timing()
    {
        // Prints its input, spins for a time taken from it, and returns a wrong value.
        const string source = """
            using MathNet.Numerics.LinearAlgebra;

            double Mean(double[] xs)
            {
                Console.WriteLine(string.Join(",", xs));
                double spin = 0;
                for (long i = 0; i < (long)(Math.Abs(xs[1]) % 100) * 200_000; i++) { spin += i; }
                return xs[1] + spin * 0;
            }

            Matrix<double> Scale(Matrix<double> M, double k)
            {
                Console.WriteLine(M.ToString());
                return M;
            }
            """;

        var report = await fixture.GradeAsync(source);

        Assert.True(report.Status == GradeStatus.Graded, report.Summary);
        var hidden = Cases(report).Where(c => c.Hidden).ToList();
        Assert.Equal(2, hidden.Count);
        Assert.All(hidden, c =>
        {
            Assert.Equal(CaseVerdict.WrongAnswer, c.Verdict);
            Assert.Null(c.Input);
            Assert.Null(c.Expected);
            Assert.Null(c.Got);
            Assert.Null(c.Output);
            Assert.Null(c.MaxDifference);
            Assert.Null(c.Where);
            Assert.Equal(0, c.ElapsedMs);
        });
        var visible = Cases(report).First(c => c.Name == "mean-small");
        Assert.Contains("1,2,3,4", visible.Output, StringComparison.Ordinal);
        Assert.Equal(Cases(report).Where(c => !c.Hidden).Sum(c => c.ElapsedMs), report.RunMs, 6);
        var json = JsonSerializer.Serialize(report, RunnerJson.Options);
        Assert.All(HostileEngineFixtureBase.HiddenValues, value => Assert.DoesNotContain(value, json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Student_text_in_output_exceptions_and_odd_results_never_reaches_the_host_log()
    {
        const string source = """
            double Mean(double[] xs)
            {
                Console.WriteLine("HOSTILE {0} {1}", "{Case}", "\u001b[2J");
                throw new ArgumentException("HOSTILE\nFAKE LOG LINE {SubmissionId}");
            }

            object Scale(double[,] M, double k) =>
                new Dictionary<string, object> { ["HOSTILE"] = new object[] { "HOSTILE", double.NaN, new[] { "HOSTILE" } } };
            """;

        var report = await fixture.GradeAsync(source);

        Assert.True(report.Status == GradeStatus.Graded, report.Summary);
        Assert.Equal(0, report.Score);
        Assert.DoesNotContain("HOSTILE", fixture.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_larger_than_the_cap_is_refused_before_compiling()
    {
        var source = HostileEngineFixtureBase.Benign + "\n" + string.Concat(Enumerable.Repeat("// HOSTILE padding to make the source too large\n", 20_000));

        var report = await fixture.GradeAsync(source);

        Assert.Equal(GradeStatus.Rejected, report.Status);
        Assert.Contains(report.Diagnostics, d => d.Message.Contains("larger than", StringComparison.Ordinal));
        Assert.Equal(100, (await fixture.GradeAsync(HostileEngineFixtureBase.Benign)).Score);
    }

    [Fact]
    public async Task A_lone_surrogate_in_the_source_ends_in_a_diagnostic_on_its_line()
    {
        // Not valid UTF-16, so not encodable as UTF-8; it may reach the compiler as U+FFFD.
        var source = HostileEngineFixtureBase.Benign + "\ndouble HOSTILE\uD800 = 1;\n";

        var report = await fixture.GradeAsync(source);

        Assert.True(report.Status is GradeStatus.Rejected or GradeStatus.CompileError, report.Summary);
        int line = HostileEngineFixtureBase.Benign.Split('\n').Length + 1;
        Assert.Contains(report.Diagnostics, d => d.Line == line);
        Assert.Equal(100, (await fixture.GradeAsync(HostileEngineFixtureBase.Benign)).Score);
    }

    [Fact]
    public async Task A_compiler_crash_does_not_write_its_trace_into_the_host_stderr()
    {
        // Parentheses nested 30 000 deep overflow the parser's stack: a 30 000-frame trace.
        var report = await fixture.GradeAsync(HostileProgram.Load("deeply-nested-parentheses").Source);
        var hostStderr = new FileInfo("/proc/self/fd/2").LinkTarget;

        var compilers = Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Where(d => ParentOf(d) == Environment.ProcessId && CommandLineOf(d).Contains("Grader.Compiler.dll", StringComparison.Ordinal))
            .ToList();

        Assert.NotEqual(GradeStatus.Failed, report.Status);
        Assert.NotEmpty(compilers);
        Assert.All(compilers, d => Assert.NotEqual(hostStderr, new FileInfo(Path.Combine(d, "fd", "2")).LinkTarget));
    }

    private static int ParentOf(string procDirectory)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(procDirectory, "status")).First(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return int.Parse(line["PPid:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static string CommandLineOf(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline"));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
