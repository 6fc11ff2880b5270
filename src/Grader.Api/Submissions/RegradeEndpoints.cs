using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Submissions;

public sealed record RegradeView(Guid RegradeId, string AssignmentId, int Version, int Queued);

// Changed counts the students whose effective grade (the gradebook's) the regrade moved.
public sealed record RegradeStatusView(Guid RegradeId, int Total, int Pending, int Finished, int Changed);

// What the regrade page's progress bar follows.
public sealed record RegradeProgressEvent(int Total, int Finished, int Changed, int Percent);

// Instructors: regrade every student's latest submission against the current version, and follow it
// through the JSON API or on the regrade page.
public static class RegradeEndpoints
{
    // A stream ends after this long; the browser's EventSource reconnects and gets the state again.
    private static readonly TimeSpan MaxStream = TimeSpan.FromMinutes(10);

    public static void MapRegrades(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructor/assignments").WithTags("Instructor").RequireAuthorization(Policies.Instructor);
        group.MapPost("/{assignmentId}/regrade", Regrade);
        group.MapGet("/{assignmentId}/regrades/{regradeId:guid}", GetRegrade);
    }

    public static void MapRegradePages(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/instructor/assignments").RequireAuthorization(Policies.InstructorPages).ExcludeFromDescription();
        group.MapPost("/{assignmentId}/regrade", RegradeForm);
        group.MapGet("/{assignmentId}/regrades/{regradeId:guid}/events", Events);
    }

    public static async Task<Results<Accepted<RegradeView>, ProblemHttpResult>> Regrade(
        string assignmentId, AssignmentStore assignments, RegradeStore regrades, SubmissionQueue queue, CancellationToken cancellationToken)
    {
        if (await StartAsync(assignmentId, assignments, regrades, queue, cancellationToken) is not { } started)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        var location = $"/api/instructor/assignments/{assignmentId}/regrades/{started.RegradeId}";
        return TypedResults.Accepted(location, started);
    }

    // The page's form: start, then follow the regrade on its page.
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> RegradeForm(
        string assignmentId, HttpContext context, IAntiforgery antiforgery, AssignmentStore assignments, RegradeStore regrades, SubmissionQueue queue,
        CancellationToken cancellationToken)
    {
        // The form binds no field, so the antiforgery check that form binding brings is not made for us.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return SubmissionEndpoints.Problem(StatusCodes.Status400BadRequest, "Regrade not confirmed",
                "Start a regrade with the Regrade button of the statistics page: the request carried no valid antiforgery token.");
        }
        if (await StartAsync(assignmentId, assignments, regrades, queue, cancellationToken) is not { } started)
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        return TypedResults.LocalRedirect($"/instructor/assignments/{Uri.EscapeDataString(assignmentId)}/regrades/{started.RegradeId}");
    }

    private static async Task<RegradeView?> StartAsync(
        string assignmentId, AssignmentStore assignments, RegradeStore regrades, SubmissionQueue queue, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { CurrentVersion: { } version })
        {
            return null;
        }
        var regradeId = Guid.CreateVersion7();
        var students = await regrades.StartAsync(assignmentId, version, regradeId, cancellationToken);
        // A lane left undispatched here (the request ended half-way) is dispatched by the sweeper.
        foreach (var student in students)
        {
            await queue.DispatchAsync(student, CancellationToken.None);
        }
        return new RegradeView(regradeId, assignmentId, version, students.Count);
    }

    public static async Task<Results<Ok<RegradeStatusView>, ProblemHttpResult>> GetRegrade(
        string assignmentId, Guid regradeId, RegradeStore regrades, CancellationToken cancellationToken)
    {
        if (await regrades.GetAsync(assignmentId, regradeId, cancellationToken) is not { } progress)
        {
            return UnknownRegrade(assignmentId, regradeId);
        }
        return TypedResults.Ok(new RegradeStatusView(regradeId, progress.Total, progress.Pending, progress.Finished, progress.Changed));
    }

    public static async Task<Results<ServerSentEventsResult<RegradeProgressEvent>, ProblemHttpResult>> Events(
        string assignmentId, Guid regradeId, RegradeStore regrades, SubmissionNotifications notifications, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await regrades.GetAsync(assignmentId, regradeId, cancellationToken) is null)
        {
            return UnknownRegrade(assignmentId, regradeId);
        }
        return TypedResults.ServerSentEvents(StreamAsync(assignmentId, regradeId, regrades, notifications, time, cancellationToken));
    }

    public static int Percent(RegradeProgress progress) => progress.Total == 0 ? 100 : progress.Finished * 100 / progress.Total;

    // Each change of the figures once, until every submission of the regrade is finished.
    private static async IAsyncEnumerable<SseItem<RegradeProgressEvent>> StreamAsync(
        string assignmentId, Guid regradeId, RegradeStore regrades, SubmissionNotifications notifications, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed before the first read, so that a submission finishing in between is not missed.
        using var changes = notifications.Subscribe(regradeId);
        var until = time.GetUtcNow() + MaxStream;
        RegradeProgressEvent? sent = null;
        while (await regrades.GetAsync(assignmentId, regradeId, cancellationToken) is { } progress)
        {
            var now = new RegradeProgressEvent(progress.Total, progress.Finished, progress.Changed, Percent(progress));
            if (now != sent)
            {
                sent = now;
                yield return new SseItem<RegradeProgressEvent>(now, "progress");
            }
            if (progress.Done || !await changes.WaitAsync(until - time.GetUtcNow(), time, cancellationToken))
            {
                yield break;
            }
        }
    }

    private static ProblemHttpResult UnknownRegrade(string assignmentId, Guid regradeId) =>
        TypedResults.Problem(title: "Unknown regrade",
            detail: $"'{assignmentId}' has no regrade {regradeId}. POST /api/instructor/assignments/{assignmentId}/regrade answers with the id to follow.",
            statusCode: StatusCodes.Status404NotFound);
}
