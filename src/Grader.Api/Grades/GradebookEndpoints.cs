using System.Globalization;
using System.Text;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Grades;

public sealed record CaseStatisticsView(string Case, string Exercise, bool Hidden, int Students, int Passed, double PassRate);

// Instructors: the gradebook (JSON and CSV) and per-case statistics of the cohort.
public static class GradebookEndpoints
{
    public static IHostApplicationBuilder AddGrades(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GradeBook>();
        builder.Services.AddSingleton<CohortStatistics>();
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

    // Pass rate per case over each student's counting submission (the figures of the statistics page).
    public static async Task<Results<Ok<CaseStatisticsView[]>, ProblemHttpResult>> Statistics(
        string assignmentId, AssignmentStore assignments, CohortStatistics statistics, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        var figures = await statistics.GetAsync(assignmentId, cancellationToken);
        return TypedResults.Ok(figures.Cases
            .Select(c => new CaseStatisticsView(c.Case, c.Exercise, c.Hidden, c.Ran, c.Passed, Math.Round(c.PassRate, 4)))
            .ToArray());
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
