using System.Security.Claims;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Core.Grading;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Submissions;

public sealed record SubmissionView(
    Guid Id,
    string AssignmentId,
    int AssignmentVersion,
    string Status,
    // How many times grading started: more than 1 after an infrastructure failure or a crashed worker.
    int Attempts,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Score,
    double? MaxScore,
    string SourceSha256,
    GradeReport? Report);

public sealed record AcceptedView(Guid Id, string Status, string Location);

public sealed record SubmitServices(AssignmentStore Assignments, SubmissionStore Submissions, SubmissionIntake Intake, TimeProvider Time);

public static class SubmissionViews
{
    // The stored report as a student may see it. Hidden cases never carry inputs or values (the
    // engine leaves them out); after-due cases are stripped the same way until they are revealed.
    public static SubmissionView ToView(this SubmissionRow row, bool revealAfterDue)
    {
        var report = row.ReportJson is null ? null : JsonSerializer.Deserialize<GradeReport>(row.ReportJson, Json.Options);
        if (report is not null && !revealAfterDue && row.AfterDueCases.Count > 0)
        {
            var afterDue = row.AfterDueCases.ToHashSet(StringComparer.Ordinal);
            report = report with
            {
                Exercises = report.Exercises.Select(e => e with
                {
                    Cases = e.Cases.Select(c => afterDue.Contains(c.Name) ? Redact(c) : c).ToList(),
                }).ToList(),
            };
        }
        return new SubmissionView(row.Id, row.AssignmentId, row.AssignmentVersion, row.State.Name(), row.Attempts, row.SubmittedAt, row.StartedAt, row.FinishedAt,
            row.Score, row.MaxScore, row.SourceHash, report);
    }

    private static CaseReport Redact(CaseReport c) => c with
    {
        Hidden = true,
        Message = c.Verdict == CaseVerdict.Passed ? "Passed." : $"{c.Verdict}: this case is shown in full after the due date.",
        Input = null,
        Expected = null,
        Got = null,
        Where = null,
        MaxDifference = null,
        Output = null,
    };
}

public static class SubmissionEndpoints
{
    public const string RateLimitPolicy = "submissions";
    public const int MaxWaitSeconds = 30;

    public static RouteGroupBuilder MapStudentSubmissions(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Submissions").RequireAuthorization(Policies.Student);
        group.MapPost("/assignments/{assignmentId}/submissions", Submit)
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(SubmissionBody.MaxRequestBytes))
            // The handler reads the body itself so that every refusal can say what to send instead.
            .WithDescription("Body: the source as text/plain, as application/json {\"source\": \"…\"}, or a multipart/form-data file named \"file\". Optional Idempotency-Key header.");
        group.MapGet("/assignments/{assignmentId}/submissions", ListOwnForAssignment);
        group.MapGet("/submissions", ListOwn);
        group.MapGet("/submissions/{submissionId:guid}", Get);
        app.MapSubmissionPages();
        return group;
    }

    public static Task<Results<Accepted<AcceptedView>, ProblemHttpResult>> Submit(
        string assignmentId,
        HttpRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
        [AsParameters] SubmitServices services,
        CancellationToken cancellationToken) =>
        AcceptAsync(assignmentId, ct => SubmissionBody.ReadAsync(request, ct), idempotencyKey, user.UserId(), services, cancellationToken);

    // Shared by the JSON API and the web form: the checks, the insert and the scheduling. The body
    // is read only once the assignment is known to take submissions.
    internal static async Task<Results<Accepted<AcceptedView>, ProblemHttpResult>> AcceptAsync(
        string assignmentId,
        Func<CancellationToken, Task<(string? Source, SubmissionBody.Problem? Problem)>> readSource,
        string? idempotencyKey,
        Guid studentId,
        SubmitServices services,
        CancellationToken cancellationToken)
    {
        var assignment = await services.Assignments.GetGateAsync(assignmentId, cancellationToken);
        if (assignment is null || !assignment.Published || assignment.CurrentVersion is not { } version)
        {
            return Problem(404, "Unknown assignment", $"There is no published assignment '{assignmentId}'. GET /api/assignments lists the ones you can submit to.");
        }
        if (idempotencyKey is { Length: 0 or > 200 } || idempotencyKey?.Any(c => c is < '!' or > '~') == true)
        {
            return Problem(400, "Bad Idempotency-Key", "An Idempotency-Key header must be 1–200 printable ASCII characters; use a fresh random value (a UUID) per distinct submission.");
        }
        var settings = assignment.Settings;
        if (ClosedProblem(assignmentId, settings, services.Time.GetUtcNow()) is { } closed)
        {
            return closed;
        }

        var (source, problem) = await readSource(cancellationToken);
        if (problem is not null)
        {
            return Problem(problem.Status, problem.Title, problem.Detail);
        }
        var submissions = services.Submissions;
        var outcome = await services.Intake.SubmitAsync(studentId, assignment, version, source!, idempotencyKey, cancellationToken);
        switch (outcome)
        {
            case SubmitOutcome.LimitReached limit:
                return Problem(409, "Submission limit reached", $"You have used all {limit.Max} submissions for '{assignmentId}'. Your best or last graded one counts.");
            case SubmitOutcome.Replayed { SameSource: false }:
                return Problem(422, "Idempotency-Key reused", "This Idempotency-Key was already used for a different source. Use a new key for a new submission.");
            case SubmitOutcome.Replayed replayed:
                var existing = await submissions.GetAsync(replayed.Id, cancellationToken);
                return Accepted(replayed.Id, (existing?.State ?? SubmissionState.Queued).Name());
            case SubmitOutcome.Created created:
                return Accepted(created.Id, SubmissionState.Queued.Name());
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    public static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> Get(
        Guid submissionId, int? wait, ClaimsPrincipal user, SubmissionStore submissions, AssignmentStore assignments,
        SubmissionNotifications notifications, TimeProvider time, CancellationToken cancellationToken)
    {
        if (wait is < 0 or > MaxWaitSeconds)
        {
            return Problem(400, "Bad wait", $"wait is in seconds, from 0 to {MaxWaitSeconds}.");
        }
        using var changes = notifications.Subscribe(submissionId);
        var row = await submissions.GetAsync(submissionId, cancellationToken);
        if (!MayRead(row, user))
        {
            return Problem(404, "Unknown submission", $"You have no submission {submissionId}.");
        }
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(wait ?? 0);
        try
        {
            while (!row.State.IsFinished() && await changes.WaitAsync(deadline - time.GetUtcNow(), time, cancellationToken))
            {
                row = await submissions.GetAsync(submissionId, cancellationToken) ?? row;
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up waiting; it gets the state as it is.
        }
        return TypedResults.Ok(row.ToView(await RevealAsync(assignments, row.AssignmentId, time, CancellationToken.None)));
    }

    // Someone else's submission is reported exactly like a missing one.
    internal static bool MayRead([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] SubmissionRow? row, ClaimsPrincipal user) =>
        row is not null && (row.StudentId == user.UserId() || user.IsInstructor());

    public static async Task<Ok<SubmissionView[]>> ListOwn(ClaimsPrincipal user, SubmissionStore submissions, CancellationToken cancellationToken) =>
        TypedResults.Ok((await submissions.ListForStudentAsync(user.UserId(), null, cancellationToken)).Select(s => s.ToView(false)).ToArray());

    public static async Task<Results<Ok<SubmissionView[]>, ProblemHttpResult>> ListOwnForAssignment(
        string assignmentId, ClaimsPrincipal user, SubmissionStore submissions, AssignmentStore assignments, TimeProvider time, CancellationToken cancellationToken)
    {
        var assignment = await assignments.GetAsync(assignmentId, cancellationToken);
        if (assignment is null || (!assignment.Published && !user.IsInstructor()))
        {
            return Problem(404, "Unknown assignment", $"There is no published assignment '{assignmentId}'.");
        }
        var reveal = await RevealAsync(assignments, assignmentId, time, cancellationToken);
        return TypedResults.Ok((await submissions.ListForStudentAsync(user.UserId(), assignmentId, cancellationToken)).Select(s => s.ToView(reveal)).ToArray());
    }

    internal static async Task<bool> RevealAsync(AssignmentStore assignments, string assignmentId, TimeProvider time, CancellationToken cancellationToken) =>
        await assignments.GetGateAsync(assignmentId, cancellationToken) is { Settings: { RevealAfterDue: true, DueAt: { } due } } && time.GetUtcNow() > due;

    private static Accepted<AcceptedView> Accepted(Guid id, string status)
    {
        var location = $"/api/submissions/{id}";
        return TypedResults.Accepted(location, new AcceptedView(id, status, location));
    }

    // Why the assignment takes no submissions now (not open yet, past its hard cutoff), or null.
    internal static ProblemHttpResult? ClosedProblem(string assignmentId, AssignmentSettings settings, DateTimeOffset now)
    {
        if (settings.OpensAt is { } opens && now < opens)
        {
            return Problem(409, "Not open yet", $"'{assignmentId}' opens for submissions at {opens:u}.");
        }
        if (settings.HardCutoffAt is { } cutoff && now > cutoff)
        {
            return Problem(409, "Submissions closed", $"'{assignmentId}' stopped accepting submissions at {cutoff:u} (the hard cutoff). Contact your instructor.");
        }
        return null;
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
