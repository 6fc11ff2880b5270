using System.Text.Json;
using Grader.Core.Grading;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Grading;

[Collection(EngineCollection.Name)]
public sealed class GradingEngineTests(EngineFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grader-engine-").FullName;

    private string Package(string comparator, string limits = "{}")
    {
        var dir = Path.Combine(_root, "engine-demo");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "assignment.json"), $$"""
            { "id": "engine-demo", "title": "Demo", "limits": {{limits}},
              "exercises": [ { "id": "ex1", "title": "Scale", "points": 10 } ],
              "cases": [
                { "name": "scale", "exercise": "ex1", "function": "Scale", "args": [10], "comparator": {{comparator}} },
                { "name": "scale-hidden", "exercise": "ex1", "function": "Scale", "args": [73], "comparator": {{comparator}}, "visibility": "hidden" } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Demo");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double Scale(double x) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), "double Scale(double x) => 2 * x;");
        return dir;
    }

    private static CaseReport Case(GradeReport report, string name) => report.Exercises.SelectMany(e => e.Cases).Single(c => c.Name == name);

    // The demo package with a right and a broken source no other test compiles (so no cache has them).
    private async Task<(Grader.Core.Assignments.AssignmentPackage Package, ExpectedOutputs Expected, string Source, string Broken)> DemoWithFreshSourcesAsync()
    {
        var package = Grader.Core.Assignments.AssignmentPackage.Load(Package("""{ "kind": "close" }""")).Package!;
        var expected = await fixture.Engine.ComputeExpectedAsync(package, CancellationToken.None);
        return (package, expected, $"double Scale(double x) => 2 * x; // {Guid.NewGuid()}", $"double Scale(double x) => 2 * ; // {Guid.NewGuid()}");
    }

    [Fact]
    public async Task A_resubmitted_source_is_not_compiled_again_and_grades_the_same()
    {
        var (package, expected, source, broken) = await DemoWithFreshSourcesAsync();
        Task<GradeReport> Grade(string s) => fixture.Engine.GradeAsync(package, expected, s, new GradeOptions(), CancellationToken.None);

        var hits = fixture.Engine.CompileCacheHits;
        var first = await Grade(source);
        var firstBroken = await Grade(broken);
        Assert.Equal(hits, fixture.Engine.CompileCacheHits);
        var again = await Grade(source);
        var againBroken = await Grade(broken);

        Assert.Equal(hits + 2, fixture.Engine.CompileCacheHits);
        Assert.Equal((GradeStatus.Graded, 10.0), (first.Status, first.Score));
        Assert.Equal((first.Status, first.Score, first.Summary), (again.Status, again.Score, again.Summary));
        Assert.Equal(0, again.CompileMs);
        Assert.Equal(GradeStatus.CompileError, againBroken.Status);
        Assert.Equal(firstBroken.Diagnostics, againBroken.Diagnostics);
    }

    // The intake starts a submission's compile while its job is created and fetched; the job then
    // finds that compile (done, or still under way) instead of compiling a second time.
    [Fact]
    public async Task A_submission_compiled_ahead_is_graded_from_that_compile()
    {
        var (package, expected, source, broken) = await DemoWithFreshSourcesAsync();
        long Reused() => fixture.Engine.CompileCacheHits + fixture.Engine.CompilesJoinedAhead;

        foreach (var (text, status, score) in new[] { (source, GradeStatus.Graded, 10.0), (broken, GradeStatus.CompileError, 0.0) })
        {
            var before = Reused();
            Assert.True(fixture.Engine.CompileAhead(text));
            // Under way or done: a second early compile of the same text is not started.
            Assert.False(fixture.Engine.CompileAhead(text));
            var report = await fixture.Engine.GradeAsync(package, expected, text, new GradeOptions(), CancellationToken.None);

            Assert.Equal(before + 1, Reused());
            Assert.Equal((status, score), (report.Status, report.Score));
        }
    }

    [Fact]
    public async Task A_batch_of_calls_larger_than_the_pipe_is_graded_whole_and_a_timeout_inside_it_costs_only_its_case()
    {
        // 60 calls of 3,000 numbers each way: requests and replies far past a 64 KiB pipe, so the
        // batch must be written while its replies are read. Case 25 loops; the runner that replaces
        // the killed one gets the rest of the batch.
        var dir = Path.Combine(_root, "batch-demo");
        Directory.CreateDirectory(dir);
        var cases = Enumerable.Range(0, 60).Select(i =>
            $$"""{ "name": "double-{{i}}", "exercise": "ex1", "function": "Twice", "args": [[{{string.Join(",", Enumerable.Range(0, 3000).Select(j => i == 25 ? -1 : i + j * 0.5))}}]], "comparator": { "kind": "close" } }""");
        File.WriteAllText(Path.Combine(dir, "assignment.json"), $$"""
            { "id": "batch-demo", "title": "Batch", "limits": { "caseWallMs": 1500, "submissionWallMs": 30000 },
              "exercises": [ { "id": "ex1", "title": "Twice", "points": 60 } ],
              "cases": [ {{string.Join(",\n", cases)}} ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Batch");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double[] Twice(double[] xs) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), "double[] Twice(double[] xs) => xs.Select(x => 2 * x).ToArray();");

        var report = await fixture.GradeAsync(dir, """
            var calls = 0;
            double[] Twice(double[] xs)
            {
                calls++;
                while (xs[0] == -1) { }
                return xs.Select(x => x + x).ToArray();
            }
            """);

        Assert.Equal(GradeStatus.Graded, report.Status);
        Assert.Equal(CaseVerdict.Timeout, Case(report, "double-25").Verdict);
        Assert.All(Enumerable.Range(0, 60).Where(i => i != 25), i => Assert.Equal(CaseVerdict.Passed, Case(report, $"double-{i}").Verdict));
        Assert.Equal(59, report.Score);
    }

    [Fact]
    public async Task A_comparator_without_a_kind_grades_as_close_with_its_tolerance()
    {
        var dir = Package("""{ "rtol": 0.1 }""");

        var withinTolerance = await fixture.GradeAsync(dir, "double Scale(double x) => 2.1 * x;");
        var outside = await fixture.GradeAsync(dir, "double Scale(double x) => 2.5 * x;");

        Assert.Equal(GradeStatus.Graded, withinTolerance.Status);
        Assert.Equal(10, withinTolerance.Score);
        Assert.Equal(0, outside.Score);
    }

    [Fact]
    public async Task Endless_console_output_ends_in_the_output_limit_with_the_first_part_shown_long_before_the_wall_limit()
    {
        // A wall limit the call would use up if nothing stopped it at the cap.
        var dir = Package("""{ "kind": "close" }""", """{ "caseWallMs": 20000, "submissionWallMs": 60000, "outputKb": 4 }""");

        var report = await fixture.GradeAsync(dir, """
            double Scale(double x)
            {
                while (true)
                {
                    try { Console.WriteLine("still going at " + x); } catch (Exception) { }
                }
            }
            """);

        var visible = Case(report, "scale");
        var hidden = Case(report, "scale-hidden");
        Assert.Equal(CaseVerdict.OutputLimit, visible.Verdict);
        Assert.Equal(CaseVerdict.OutputLimit, hidden.Verdict);
        Assert.StartsWith("still going at 10\n", visible.Output, StringComparison.Ordinal);
        Assert.Equal(4 * 1024, visible.Output!.Length);
        Assert.Contains("was stopped there", visible.Message, StringComparison.Ordinal);
        Assert.Null(hidden.Output);
    }

    [Fact]
    public async Task A_hidden_case_reports_a_category_of_exception_and_a_visible_one_its_type_and_message()
    {
        var dir = Package("""{ "kind": "close" }""");

        var report = await fixture.GradeAsync(dir, """
            class Digit7Exception(string message) : Exception(message);

            double Scale(double x) => x == 10 ? throw new ArgumentOutOfRangeException(nameof(x), "ten") : throw new Digit7Exception("seventy-three");
            """);

        var visible = Case(report, "scale");
        var hidden = Case(report, "scale-hidden");
        Assert.Equal("System.ArgumentOutOfRangeException", visible.ErrorType);
        Assert.Contains("ten", visible.Message, StringComparison.Ordinal);
        Assert.Equal("OtherException", hidden.ErrorType);
        Assert.Equal("Scale threw an exception: another kind of exception", hidden.Message);
        Assert.DoesNotContain("Digit7", JsonSerializer.Serialize(report, RunnerJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hidden_case_names_the_broad_kind_of_a_framework_exception()
    {
        var dir = Package("""{ "kind": "close" }""");

        var report = await fixture.GradeAsync(dir, "double Scale(double x) => (new double[2])[(int)x];");

        var hidden = Case(report, "scale-hidden");
        Assert.Equal(CaseVerdict.RuntimeError, hidden.Verdict);
        Assert.Equal("IndexOutOfRange", hidden.ErrorType);
        Assert.Equal("Scale threw an exception: an index or argument out of range", hidden.Message);
    }

    [Fact]
    public async Task An_exception_in_top_level_code_is_reported_once_in_the_summary_as_what_it_is()
    {
        var dir = Package("""{ "kind": "close" }""");

        var report = await fixture.GradeAsync(dir, """
            var table = new double[3];
            table[5] = 1;

            double Scale(double x) => 2 * x;
            """);

        Assert.Equal(GradeStatus.Graded, report.Status);
        Assert.Contains("the submission's top-level code threw System.IndexOutOfRangeException: Index was outside the bounds of the array.", report.Summary, StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(report, RunnerJson.Options);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "IndexOutOfRangeException"));
        Assert.All(report.Exercises.SelectMany(e => e.Cases), c =>
        {
            Assert.Equal(CaseVerdict.RuntimeError, c.Verdict);
            Assert.Contains("top-level code failed", c.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Scale threw", c.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_case_with_its_own_wall_limit_gets_it_and_the_others_keep_the_packages()
    {
        var dir = Path.Combine(_root, "engine-heavy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "assignment.json"), """
            { "id": "engine-heavy", "title": "Heavy", "limits": { "caseWallMs": 300, "submissionWallMs": 10000 },
              "exercises": [ { "id": "ex1", "title": "Spin", "points": 10 } ],
              "cases": [
                { "name": "long-with-own-limit", "exercise": "ex1", "function": "Spin", "args": [1000], "wallMs": 1500 },
                { "name": "long-with-package-limit", "exercise": "ex1", "function": "Spin", "args": [1000] } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Heavy");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double Spin(double ms) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), "double Spin(double ms) => ms;");

        var report = await fixture.GradeAsync(dir, """
            double Spin(double ms)
            {
                while (ms > 0) { }
                return ms;
            }
            """);

        // The limit each call got is the one its timeout names.
        var own = Case(report, "long-with-own-limit");
        var packages = Case(report, "long-with-package-limit");
        Assert.Equal(CaseVerdict.Timeout, own.Verdict);
        Assert.Contains("did not finish within 1500 ms", own.Message, StringComparison.Ordinal);
        Assert.Equal(CaseVerdict.Timeout, packages.Verdict);
        Assert.Contains("did not finish within 300 ms", packages.Message, StringComparison.Ordinal);
    }

    // Expected outputs are computed once for every grade of the package, so a busy node must not
    // fail them: the reference gets four times each limit there (validation, which grades the
    // reference as a submission, keeps the real ones). An endless reference shows which limit it got.
    [Theory]
    [InlineData(""" "wallMs": 250 """, 1000)]
    [InlineData("", 1600)]
    public async Task The_reference_gets_four_times_the_limit_when_its_outputs_are_computed(string ownLimit, int limitMs)
    {
        var dir = Path.Combine(_root, "engine-endless-reference");
        Directory.CreateDirectory(dir);
        var comma = ownLimit.Length > 0 ? "," : "";
        File.WriteAllText(Path.Combine(dir, "assignment.json"), $$"""
            { "id": "engine-endless-reference", "title": "Endless", "limits": { "caseWallMs": 400, "submissionWallMs": 5000 },
              "exercises": [ { "id": "ex1", "title": "Spin", "points": 10 } ],
              "cases": [ { "name": "spin", "exercise": "ex1", "function": "Spin", "args": [1]{{comma}} {{ownLimit}} } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Endless");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double Spin(double ms) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), "double Spin(double ms) { while (ms > 0) { } return ms; }");
        var package = Grader.Core.Assignments.AssignmentPackage.Load(dir).Package!;

        var failure = await Assert.ThrowsAsync<ReferenceSolutionException>(() => fixture.Engine.ComputeExpectedAsync(package, CancellationToken.None));

        Assert.Contains($"did not finish within {limitMs} ms", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_limit_past_the_submission_budget_is_refused()
    {
        var dir = Package("""{ "kind": "close" }""", """{ "caseWallMs": 300, "submissionWallMs": 1000 }""");
        var manifest = Path.Combine(dir, "assignment.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"args\": [10],", "\"args\": [10], \"wallMs\": 5000,", StringComparison.Ordinal));

        var loaded = Grader.Core.Assignments.AssignmentPackage.Load(dir);

        Assert.Contains(loaded.Problems, p => p.Field == "cases[0].wallMs");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
