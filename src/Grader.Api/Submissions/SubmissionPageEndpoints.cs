using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Grader.Api.Assignments.Pages;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Submissions;

public sealed record StatusEvent(string Status, double? Score, double? MaxScore);

// What the pages need beyond rendering: the submit form's POST and the live status stream.
public static class SubmissionPageEndpoints
{
    // A stream ends after this long; the browser's EventSource reconnects and gets the state again.
    private static readonly TimeSpan MaxStream = TimeSpan.FromMinutes(10);

    public static void MapSubmissionPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").RequireAuthorization(Policies.StudentPages).ExcludeFromDescription();
        group.MapPost("/assignments/{assignmentId}/submit", SubmitForm)
            .RequireRateLimiting(SubmissionEndpoints.RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(SubmissionBody.MaxRequestBytes));
        group.MapGet("/submissions/{submissionId:guid}/events", Events);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<AssignmentPage>>> SubmitForm(
        string assignmentId,
        IFormFile? file,
        [FromForm, TextLimit(SubmissionBody.MaxSourceBytes, Multiline = true)] string? source,
        ClaimsPrincipal user,
        [AsParameters] SubmitServices services,
        CancellationToken cancellationToken)
    {
        var result = await SubmissionEndpoints.AcceptAsync(
            assignmentId, ct => SubmissionBody.ReadFormAsync(file, source, ct), null, user.UserId(), services, cancellationToken);
        if (result.Result is Accepted<AcceptedView> accepted)
        {
            return TypedResults.LocalRedirect($"/submissions/{accepted.Value!.Id}");
        }
        var problem = ((ProblemHttpResult)result.Result).ProblemDetails;
        return new RazorComponentResult<AssignmentPage>(new { AssignmentId = assignmentId, Error = problem.Detail, Source = source })
        {
            StatusCode = problem.Status,
        };
    }

    public static async Task<Results<ServerSentEventsResult<StatusEvent>, ProblemHttpResult>> Events(
        Guid submissionId, ClaimsPrincipal user, SubmissionStore submissions, SubmissionNotifications notifications, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!SubmissionEndpoints.MayRead(await submissions.GetAsync(submissionId, cancellationToken), user))
        {
            return SubmissionEndpoints.Problem(404, "Unknown submission", $"You have no submission {submissionId}.");
        }
        return TypedResults.ServerSentEvents(StreamAsync(submissionId, submissions, notifications, time, cancellationToken));
    }

    // Queued → Running → a final state, each state once, then the stream ends.
    private static async IAsyncEnumerable<SseItem<StatusEvent>> StreamAsync(
        Guid submissionId, SubmissionStore submissions, SubmissionNotifications notifications, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var changes = notifications.Subscribe(submissionId);
        var until = time.GetUtcNow() + MaxStream;
        string? sent = null;
        while (await submissions.GetAsync(submissionId, cancellationToken) is { } row)
        {
            if (row.State.Name() != sent)
            {
                sent = row.State.Name();
                yield return new SseItem<StatusEvent>(new StatusEvent(row.State.Name(), row.Score, row.MaxScore), "status");
            }
            if (row.State.IsFinished() || !await changes.WaitAsync(until - time.GetUtcNow(), time, cancellationToken))
            {
                yield break;
            }
        }
    }
}
