using System.Security.Claims;
using Grader.Api.Auth;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Assignments;

// What students see: published assignments, their statement and visible cases, the starter, their grade.
public static class AssignmentEndpoints
{
    public static IHostApplicationBuilder AddAssignments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AssignmentStore>();
        builder.Services.AddSingleton<ValidationQueue>();
        builder.Services.AddSingleton<PackageValidator>();
        builder.Services.AddTransient<ValidatePackageJob>();
        if (builder.AddValidatedOptions<GraderOptions>("Grader").IsApi)
        {
            builder.Services.AddHostedService<ValidationRecovery>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapAssignments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/assignments").WithTags("Assignments").RequireAuthorization(Policies.Student);
        group.MapGet("/", List);
        group.MapGet("/{assignmentId}", Get);
        group.MapGet("/{assignmentId}/starter", GetStarter);
        group.MapVisiblePart();
        group.MapGet("/{assignmentId}/grade", GetOwnGrade);

        var instructor = app.MapGroup("/api/instructor/assignments").WithTags("Instructor").RequireAuthorization(Policies.Instructor);
        PackageEndpoints.MapPackages(instructor);
        SettingsEndpoints.MapSettings(instructor);
        app.MapAssignmentPages();
        // The pages' download link, for a browser session.
        app.MapGet("/assignments/{assignmentId}/starter", DownloadStarter).RequireAuthorization(Policies.StudentPages).ExcludeFromDescription();
        return app;
    }

    public static async Task<Ok<AssignmentSummaryView[]>> List(AssignmentStore assignments, CancellationToken cancellationToken) =>
        TypedResults.Ok((await assignments.ListAsync(publishedOnly: true, cancellationToken)).Where(a => a.CurrentVersion is not null).Select(a => a.ToSummaryView()).ToArray());

    public static async Task<Results<Ok<AssignmentDetailView>, ProblemHttpResult>> Get(
        string assignmentId, AssignmentStore assignments, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindPublishedAsync(assignments, assignmentId, cancellationToken) is not { } row)
        {
            return NotFound(assignmentId);
        }
        var revealed = row.Settings is { RevealAfterDue: true, DueAt: { } due } && time.GetUtcNow() > due;
        return TypedResults.Ok(row.ToDetailView(revealed));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetStarter(string assignmentId, AssignmentStore assignments, CancellationToken cancellationToken) =>
        await FindPublishedAsync(assignments, assignmentId, cancellationToken) is { } row
            ? TypedResults.Text(row.Starter ?? "", "text/plain; charset=utf-8")
            : NotFound(assignmentId);

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadStarter(string assignmentId, AssignmentStore assignments, CancellationToken cancellationToken) =>
        await FindPublishedAsync(assignments, assignmentId, cancellationToken) is { } row
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(row.Starter ?? ""), "text/plain; charset=utf-8", $"{assignmentId}.csx")
            : NotFound(assignmentId);

    public static async Task<Results<Ok<GradeView>, ProblemHttpResult>> GetOwnGrade(
        string assignmentId, ClaimsPrincipal user, AssignmentStore assignments, GradeBook grades, CancellationToken cancellationToken)
    {
        if (await FindPublishedAsync(assignments, assignmentId, cancellationToken) is null)
        {
            return NotFound(assignmentId);
        }
        var grade = (await grades.ListAsync(assignmentId, user.UserId(), cancellationToken)).FirstOrDefault();
        return grade is null
            ? TypedResults.Problem(title: "No grade yet", detail: $"You have no graded submission for '{assignmentId}' yet.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(grade.ToView());
    }

    private static async Task<AssignmentRow?> FindPublishedAsync(AssignmentStore assignments, string id, CancellationToken cancellationToken) =>
        await assignments.GetAsync(id, cancellationToken) is { Published: true, CurrentVersion: not null } row ? row : null;

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "Unknown assignment", detail: $"There is no published assignment '{id}'. GET /api/assignments lists them.", statusCode: StatusCodes.Status404NotFound);
}
