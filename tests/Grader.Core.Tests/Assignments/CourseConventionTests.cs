using System.Text.RegularExpressions;
using Grader.Core.Grading;

namespace Grader.Core.Tests.Assignments;

// A student who does what the course teaches must pass.
[Collection(EngineCollection.Name)]
public sealed class CourseConventionTests(EngineFixture fixture)
{
    private const string Birthday = "dlai-lab-c3-birthday-problems";

    // The course's lab computes problem 4 as 1 − (364/365)^(n²); the exact value is an aside.
    [Fact]
    public async Task Problem_4_by_the_courses_formula_scores_full_marks()
    {
        const string problem4 = "double ProbMatchBetweenRooms(int n, int days) => 1 - Math.Pow((days - 1.0) / days, n * n);";
        var reference = File.ReadAllText(Path.Combine(EngineFixture.AssignmentsDirectory, Birthday, "reference.csx"));
        // The reference's own problem 4, whether written as an expression or as a block, swapped for the course's.
        var own = Regex.Match(reference, @"^double ProbMatchBetweenRooms\(int n, int days\)(\s*=>[^\n]*|\s*\{.*?\n\})\n", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(own.Success);
        var report = await fixture.GradeAsync(Birthday, reference.Replace(own.Value, problem4 + "\n", StringComparison.Ordinal));

        var ex4 = report.Exercises.Single(e => e.Id == "ex4");
        Assert.Equal(GradeStatus.Graded, report.Status);
        Assert.Equal(ex4.MaxScore, ex4.Score);
        Assert.Equal(report.MaxScore, report.Score);
    }
}
