using System.Globalization;
using System.Text;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Grader.Core.Grading;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Grades;

public sealed record CaseStatisticsView(string Case, string Exercise, bool Hidden, int Students, int Passed, double PassRate);

// Instructors: the gradebook (JSON and CSV) and per-case statistics of the cohort.
public static class GradebookEndpoints
{
    public static IHostApplicationBuilder AddGrades(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GradeBook>();
        return builder;
    }

    public static RouteGroupBuilder MapGrades(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructor/assignments").WithTags("Instructor").RequireAuthorization(Policies.Instructor);
        group.MapGet("/{assignmentId}/gradebook", Gradebook);
        group.MapGet("/{assignmentId}/gradebook.csv", GradebookCsv);
        group.MapGet("/{assignmentId}/statistics", Statistics);
        return group;
    }

    public static async Task<Results<Ok<GradebookEntryView[]>, ProblemHttpResult>> Gradebook(
        string assignmentId, AssignmentStore assignments, GradeBook grades, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        return TypedResults.Ok((await grades.ListAsync(assignmentId, null, cancellationToken)).Select(g => g.ToEntryView()).ToArray());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GradebookCsv(
        string assignmentId, AssignmentStore assignments, GradeBook grades, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        var csv = new StringBuilder("student,submission_id,raw_score,max_score,days_late,penalty,score\n");
        foreach (var g in await grades.ListAsync(assignmentId, null, cancellationToken))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{CsvField(g.ExternalId)},{g.SubmissionId},{g.RawScore:R},{g.MaxScore:R},{g.DaysLate},{g.Penalty:R},{g.Score:R}\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"{assignmentId}-gradebook.csv");
    }

    // Pass rate per case over each student's latest graded submission.
    public static async Task<Results<Ok<CaseStatisticsView[]>, ProblemHttpResult>> Statistics(
        string assignmentId, AssignmentStore assignments, SubmissionStore submissions, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        var tally = new Dictionary<string, (string Exercise, bool Hidden, int Students, int Passed)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var json in await submissions.ListLatestGradedReportsAsync(assignmentId, cancellationToken))
        {
            var report = JsonSerializer.Deserialize<GradeReport>(json, Json.Options)!;
            foreach (var c in report.Exercises.SelectMany(e => e.Cases))
            {
                if (!tally.TryGetValue(c.Name, out var t))
                {
                    order.Add(c.Name);
                    t = (c.Exercise, c.Hidden, 0, 0);
                }
                tally[c.Name] = (t.Exercise, t.Hidden, t.Students + 1, t.Passed + (c.Verdict == CaseVerdict.Passed ? 1 : 0));
            }
        }
        return TypedResults.Ok(order.Select(name =>
        {
            var t = tally[name];
            return new CaseStatisticsView(name, t.Exercise, t.Hidden, t.Students, t.Passed, t.Students == 0 ? 0 : Math.Round((double)t.Passed / t.Students, 4));
        }).ToArray());
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
