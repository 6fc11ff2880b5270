using Grader.Core.Assignments;
using Grader.Core.Grading;

namespace Grader.Core.Tests.Grading;

// Cases that pass a function: {"$function": name} names one of the package's helpers.csx or one of
// the submission's own, and the runner hands it over as the parameter's delegate type.
[Collection(EngineCollection.Name)]
public sealed class FunctionArgumentTests(EngineFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grader-functions-").FullName;

    private const string Helpers = """
        // q(x) = (x − 3)²: its derivative, as the course's example functions are given.
        double ParabolaDerivative(double x) => 2 * (x - 3);
        double Square(double x) => x * x;
        """;

    private const string Reference = """
        double Step(Func<double, double> dfdx, double x, double rate) => x - rate * dfdx(x);
        double Dfdx(double x) => Math.Cos(x);
        double Twice(Func<double, double> f, double x) => f(f(x));
        """;

    private string Package(string cases, string? helpers = Helpers, string reference = Reference, string name = "functions-demo")
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "assignment.json"), $$"""
            { "id": "{{name}}", "title": "Functions as arguments",
              "exercises": [ { "id": "ex1", "title": "Steps", "points": 10 } ],
              "cases": [ {{cases}} ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Functions");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double Step(Func<double, double> dfdx, double x, double rate) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), reference);
        if (helpers is not null)
        {
            File.WriteAllText(Path.Combine(dir, "helpers.csx"), helpers);
        }
        return dir;
    }

    private const string StepCases = """
        { "name": "step-parabola", "exercise": "ex1", "function": "Step", "args": [{ "$function": "ParabolaDerivative" }, 10, 0.25] },
        { "name": "step-own-derivative", "exercise": "ex1", "function": "Step", "args": [{ "$function": "Dfdx" }, 1, 0.5], "visibility": "hidden" }
        """;

    private static CaseReport Case(GradeReport report, string name) => report.Exercises.SelectMany(e => e.Cases).Single(c => c.Name == name);

    [Fact]
    public async Task A_helper_function_and_the_submissions_own_are_passed_as_delegates()
    {
        var dir = Package(StepCases);
        var (_, expected) = await fixture.PackageAsync(dir);

        var right = await fixture.GradeAsync(dir, Reference);
        var wrongSign = await fixture.GradeAsync(dir, """
            double Step(Func<double, double> dfdx, double x, double rate) => x + rate * dfdx(x);
            double Dfdx(double x) => Math.Cos(x);
            """);

        // 10 − 0.25 · 2 · (10 − 3) = 6.5, and 1 − 0.5 · cos 1: what the reference computed with the functions passed.
        Assert.Equal(6.5, expected.ByCase["step-parabola"].Value!.GetValue<double>(), 12);
        Assert.Equal(1 - 0.5 * Math.Cos(1), expected.ByCase["step-own-derivative"].Value!.GetValue<double>(), 12);
        Assert.Equal(10, right.Score);
        Assert.Equal(0, wrongSign.Score);
    }

    [Fact]
    public async Task The_submissions_own_function_is_the_one_it_wrote()
    {
        var dir = Package(StepCases);

        var report = await fixture.GradeAsync(dir, """
            double Step(Func<double, double> dfdx, double x, double rate) => x - rate * dfdx(x);
            double Dfdx(double x) => -Math.Sin(x);
            """);

        Assert.Equal(CaseVerdict.Passed, Case(report, "step-parabola").Verdict);
        Assert.Equal(CaseVerdict.WrongAnswer, Case(report, "step-own-derivative").Verdict);
    }

    [Fact]
    public async Task A_helper_keeps_its_meaning_when_the_submission_defines_a_function_of_the_same_name()
    {
        var dir = Package("""{ "name": "twice-square", "exercise": "ex1", "function": "Twice", "args": [{ "$function": "Square" }, 3] }""");

        var report = await fixture.GradeAsync(dir, """
            double Twice(Func<double, double> f, double x) => f(f(x));
            double Square(double x) => x + x;
            """);

        Assert.Equal(10, report.Score);
    }

    [Fact]
    public async Task A_function_that_does_not_fit_the_parameter_is_named_in_the_message()
    {
        var dir = Package("""{ "name": "step-own", "exercise": "ex1", "function": "Step", "args": [{ "$function": "Dfdx" }, 1, 0.5] }""");

        var report = await fixture.GradeAsync(dir, """
            double Step(Func<double, double> dfdx, double x, double rate) => x - rate * dfdx(x);
            double Dfdx(double x, double y) => Math.Cos(x);
            """);

        var own = Case(report, "step-own");
        Assert.Equal(CaseVerdict.RuntimeError, own.Verdict);
        Assert.Contains("no function Dfdx fits Func<Double, Double>", own.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_argument_survives_the_unchanged_comparator()
    {
        var dir = Package("""
            { "name": "step-unchanged", "exercise": "ex1", "function": "Step", "args": [{ "$function": "ParabolaDerivative" }, 10, 0.25],
              "comparator": { "kind": "unchanged", "args": [1] } }
            """);

        var report = await fixture.GradeAsync(dir, Reference);

        Assert.Equal(10, report.Score);
    }

    [Fact]
    public async Task A_reference_naming_a_function_nobody_defines_fails_validation()
    {
        var dir = Package("""{ "name": "missing", "exercise": "ex1", "function": "Step", "args": [{ "$function": "NoSuchFunction" }, 1, 0.5] }""");
        var package = AssignmentPackage.Load(dir).Package!;

        var failure = await Assert.ThrowsAsync<ReferenceSolutionException>(() => fixture.Engine.ComputeExpectedAsync(package, CancellationToken.None));

        Assert.Contains("NoSuchFunction", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helpers_that_do_not_compile_stop_the_package_from_validating()
    {
        var dir = Package(StepCases, helpers: "double ParabolaDerivative(double x) => 2 * (x - 3)");
        var package = AssignmentPackage.Load(dir).Package!;

        var failure = await Assert.ThrowsAsync<ReferenceSolutionException>(() => fixture.Engine.ComputeExpectedAsync(package, CancellationToken.None));

        Assert.StartsWith("helpers.csx does not compile", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Helpers_may_only_declare_and_a_function_argument_must_name_a_method()
    {
        var statements = AssignmentPackage.Load(Package(StepCases, helpers: "double Square(double x) => x * x;\nConsole.WriteLine(1);", name: "with-statement"));
        var malformed = AssignmentPackage.Load(Package(
            """{ "name": "bad", "exercise": "ex1", "function": "Step", "args": [{ "$function": "Not a name" }, 1, 0.5] }""", name: "bad-function"));
        var extraKey = AssignmentPackage.Load(Package(
            """{ "name": "bad", "exercise": "ex1", "function": "Step", "args": [{ "$function": "Square", "arg": 1 }, 1, 0.5] }""", name: "extra-key"));

        Assert.Contains(statements.Problems, p => p.File == "helpers.csx" && p.Field == "line 2");
        Assert.Contains(malformed.Problems, p => p.Field == "cases[0].args[0]" && p.Reason.Contains("$function", StringComparison.Ordinal));
        Assert.Contains(extraKey.Problems, p => p.Field == "cases[0].args[0]");
    }

    [Fact]
    public async Task The_visible_part_carries_the_helpers_so_a_local_grade_can_pass_them()
    {
        var dir = Package(StepCases);
        var (package, expected) = await fixture.PackageAsync(dir);

        var visible = VisiblePart.From(package, 1, expected);
        var (local, localExpected) = visible.ToPackage();
        var report = await fixture.Engine.GradeAsync(local, localExpected, Reference, new GradeOptions(), CancellationToken.None);

        Assert.Equal(Helpers, visible.Helpers);
        Assert.Equal("step-parabola", Assert.Single(report.Exercises.SelectMany(e => e.Cases)).Name);
        Assert.Equal(report.MaxScore, report.Score);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
