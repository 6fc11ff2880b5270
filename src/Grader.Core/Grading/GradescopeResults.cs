using System.Text.Json.Serialization;
using Grader.Core.Assignments;

namespace Grader.Core.Grading;

/// <summary>A grade report in Gradescope's autograder <c>results.json</c> format.</summary>
public sealed record GradescopeResults(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("tests")] IReadOnlyList<GradescopeTest> Tests)
{
    public static GradescopeResults From(GradeReport report, AssignmentManifest manifest)
    {
        var tests = new List<GradescopeTest>();
        foreach (var exercise in report.Exercises)
        {
            double totalWeight = exercise.Cases.Sum(c => c.Weight);
            foreach (var c in exercise.Cases)
            {
                double max = totalWeight > 0 ? Math.Round(exercise.MaxScore * c.Weight / totalWeight, 4) : 0;
                var lines = new[] { c.Message, c.Hint is null ? null : $"Hint: {c.Hint}", c.Expected is null || c.Verdict == CaseVerdict.Passed ? null : $"Expected: {c.Expected}", c.Got is null || c.Verdict == CaseVerdict.Passed ? null : $"Got: {c.Got}" };
                var spec = manifest.Cases.FirstOrDefault(s => s.Name == c.Name);
                tests.Add(new GradescopeTest(
                    $"{exercise.Id} {c.Name}",
                    c.Verdict == CaseVerdict.Passed ? max : 0,
                    max,
                    c.Verdict == CaseVerdict.Passed ? "passed" : "failed",
                    string.Join("\n", lines.Where(l => !string.IsNullOrEmpty(l))),
                    spec?.Visibility switch
                    {
                        CaseVisibility.Hidden => "hidden",
                        CaseVisibility.AfterDue => "after_due_date",
                        _ => "visible",
                    }));
            }
        }
        var output = string.Join("\n", new[] { report.Summary }.Concat(report.Diagnostics.Select(d => d.ToString())));
        return new GradescopeResults(report.Score, output, tests);
    }
}

public sealed record GradescopeTest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("max_score")] double MaxScore,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("visibility")] string Visibility);
