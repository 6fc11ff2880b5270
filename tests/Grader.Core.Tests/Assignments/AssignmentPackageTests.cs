using Grader.Core.Grading;

namespace Grader.Core.Tests.Assignments;

/// <summary>Every package under assignments/ must pass `grader validate`.</summary>
[Collection(EngineCollection.Name)]
public sealed class AssignmentPackageTests(EngineFixture fixture)
{
    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(EngineFixture.AssignmentsDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "assignment.json")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public async Task Package_validates(string id)
    {
        var loaded = Grader.Core.Assignments.AssignmentPackage.Load(Path.Combine(EngineFixture.AssignmentsDirectory, id));
        Assert.True(loaded.Package is not null, string.Join(Environment.NewLine, loaded.Problems));

        ValidationReport report = await fixture.Engine.ValidateAsync(loaded.Package, CancellationToken.None);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Problems));
        Assert.Contains(report.Checks, c => c.StartsWith("reference.csx scores", StringComparison.Ordinal));
        Assert.Equal(loaded.Package.Mistakes.Count, report.Checks.Count(c => c.StartsWith("mistakes/", StringComparison.Ordinal)));
    }

    [Fact]
    public void There_is_at_least_one_package()
    {
        Assert.NotEmpty(Packages());
    }
}
