using Grader.Core.Grading;

namespace Grader.Core.Tests.Grading;

[Collection(EngineCollection.Name)]
public sealed class GradingEngineTests(EngineFixture fixture) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grader-engine-").FullName;

    private string Package(string comparator)
    {
        var dir = Path.Combine(_root, "engine-demo");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "assignment.json"), $$"""
            { "id": "engine-demo", "title": "Demo",
              "exercises": [ { "id": "ex1", "title": "Scale", "points": 10 } ],
              "cases": [ { "name": "scale", "exercise": "ex1", "function": "Scale", "args": [10], "comparator": {{comparator}} } ] }
            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), "# Demo");
        File.WriteAllText(Path.Combine(dir, "starter.csx"), "double Scale(double x) => throw new NotImplementedException();");
        File.WriteAllText(Path.Combine(dir, "reference.csx"), "double Scale(double x) => 2 * x;");
        return dir;
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

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
