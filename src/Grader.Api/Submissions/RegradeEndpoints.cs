using Grader.Api.Assignments;
using Grader.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Submissions;

public sealed record RegradeView(Guid RegradeId, string AssignmentId, int Version, int Queued);

public sealed record RegradeStatusView(Guid RegradeId, int Total, int Pending, int Finished, int Changed);

// Instructors: regrade every student's latest submission against the current version, and follow it.
public static class RegradeEndpoints
{
    public static void MapRegrades(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructor/assignments").WithTags("Instructor").RequireAuthorization(Policies.Instructor);
        group.MapPost("/{assignmentId}/regrade", Regrade);
        group.MapGet("/{assignmentId}/regrades/{regradeId:guid}", GetRegrade);
    }

    public static async Task<Results<Accepted<RegradeView>, ProblemHttpResult>> Regrade(
        string assignmentId, AssignmentStore assignments, SubmissionStore submissions, SubmissionQueue queue, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { CurrentVersion: { } version })
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        var regradeId = Guid.CreateVersion7();
        var students = await submissions.StartRegradeAsync(assignmentId, version, regradeId, cancellationToken);
        // A lane left undispatched here (the request ended half-way) is dispatched by the sweeper.
        foreach (var student in students)
        {
            await queue.DispatchAsync(student, CancellationToken.None);
        }
        var location = $"/api/instructor/assignments/{assignmentId}/regrades/{regradeId}";
        return TypedResults.Accepted(location, new RegradeView(regradeId, assignmentId, version, students.Count));
    }

    public static async Task<Results<Ok<RegradeStatusView>, ProblemHttpResult>> GetRegrade(
        string assignmentId, Guid regradeId, SubmissionStore submissions, CancellationToken cancellationToken)
    {
        var progress = await submissions.GetRegradeProgressAsync(assignmentId, regradeId, cancellationToken);
        // A regrade exists only through the submissions it queued.
        if (progress.Total == 0)
        {
            return TypedResults.Problem(title: "Unknown regrade",
                detail: $"'{assignmentId}' has no regrade {regradeId} with submissions in it. POST /api/instructor/assignments/{assignmentId}/regrade answers with the id to follow.",
                statusCode: StatusCodes.Status404NotFound);
        }
        return TypedResults.Ok(new RegradeStatusView(regradeId, progress.Total, progress.Pending, progress.Finished, progress.Changed));
    }
}
