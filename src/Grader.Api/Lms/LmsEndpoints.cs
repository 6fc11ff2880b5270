using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Grader.Api.Users;
using Grader.Api.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Grader.Api.Lms;

public sealed record CreateIntegrationRequest([property: TextLimit(200)] string? Name);

public sealed record IntegrationView(Guid Id, string Name, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? PreviousSecretValidUntil);

// The only responses that carry the secret: keep it, it is not shown again.
public sealed record IntegrationSecretView(IntegrationView Integration, string Secret);

public sealed record LmsSubmissionRequest(
    [property: TextLimit(UserStore.MaxExternalId)] string? ExternalUserId,
    [property: TextLimit(UserStore.MaxDisplayName)] string? DisplayName,
    [property: TextLimit(200)] string? AssignmentId,
    [property: TextLimit(SubmissionBody.MaxSourceBytes, Multiline = true)] string? Source);

public sealed record LmsSubmissionView(Guid Id, string Status, string Location, Guid StudentId, bool Duplicate);

// LMS integrations: instructors create them (each with a secret), and the LMS submits on a
// student's behalf with requests signed like our webhooks (Standard Webhooks).
public static class LmsEndpoints
{
    public const int MaxBodyBytes = 256 * 1024;
    public const int MaxMessageIdLength = 100;

    public static IHostApplicationBuilder AddLms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LmsIntegrationStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLms(this IEndpointRouteBuilder app)
    {
        var instructor = app.MapGroup("/api/instructor/lms-integrations").WithTags("LMS").RequireAuthorization(Policies.Instructor);
        instructor.MapGet("/", List);
        instructor.MapPost("/", Create);
        instructor.MapPost("/{integrationId:guid}/rotate-secret", Rotate);
        instructor.MapDelete("/{integrationId:guid}", Revoke);
        app.MapLmsPages();

        app.MapPost("/api/lms/submissions", Submit).WithTags("LMS").AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithDescription("Signed with the integration's secret (headers webhook-id, webhook-timestamp, webhook-signature). Body: {\"externalUserId\", \"displayName\", \"assignmentId\", \"source\"}.");
        return app;
    }

    public static async Task<Ok<IntegrationView[]>> List(LmsIntegrationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(activeOnly: false, cancellationToken)).Select(ToView).ToArray());

    public static async Task<Results<Created<IntegrationSecretView>, ValidationProblem>> Create(
        CreateIntegrationRequest request, ClaimsPrincipal user, LmsIntegrationStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Required: 1–200 characters naming the LMS (\"Canvas, autumn term\")."] },
                title: "Invalid LMS integration");
        }
        var (row, secret) = await store.CreateAsync(request.Name.Trim(), user.UserId(), cancellationToken);
        return TypedResults.Created($"/api/instructor/lms-integrations/{row.Id}", new IntegrationSecretView(ToView(row), secret));
    }

    public static async Task<Results<Ok<IntegrationSecretView>, ValidationProblem, ProblemHttpResult>> Rotate(
        Guid integrationId, RotateSecretRequest? request, LmsIntegrationStore store, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        if (WebhookEndpoints.RotationOverlap(request, options.Value) is not { } overlap)
        {
            return WebhookEndpoints.InvalidOverlap();
        }
        if (await store.RotateAsync(integrationId, overlap, cancellationToken) is not { } secret)
        {
            return Unknown(integrationId);
        }
        var row = (await store.ListAsync(activeOnly: false, cancellationToken)).Single(i => i.Id == integrationId);
        return TypedResults.Ok(new IntegrationSecretView(ToView(row), secret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid integrationId, LmsIntegrationStore store, CancellationToken cancellationToken) =>
        await store.RevokeAsync(integrationId, cancellationToken) ? TypedResults.NoContent() : Unknown(integrationId);

    public static async Task<Results<Accepted<LmsSubmissionView>, Ok<LmsSubmissionView>, ValidationProblem, ProblemHttpResult>> Submit(
        HttpRequest request,
        LmsIntegrationStore integrations,
        AssignmentStore assignments,
        SubmissionStore submissions,
        SubmissionIntake intake,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        string? messageId = request.Headers[WebhookSignature.IdHeader];
        string? timestampText = request.Headers[WebhookSignature.TimestampHeader];
        string? signature = request.Headers[WebhookSignature.SignatureHeader];
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(timestampText) || string.IsNullOrEmpty(signature))
        {
            return Problem(401, "Unsigned request",
                "Sign the request with your integration's secret and send the headers webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks; see docs/lms.md).");
        }
        if (messageId.Length > MaxMessageIdLength || messageId.Any(c => c < 0x21 || c > 0x7e))
        {
            return Problem(400, "Bad webhook-id", $"webhook-id is 1–{MaxMessageIdLength} printable ASCII characters without spaces, unique per submission (e.g. msg_<uuid>).");
        }
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return Problem(400, "Bad webhook-timestamp", "webhook-timestamp is the time of sending in whole seconds since 1970-01-01 UTC.");
        }
        var now = time.GetUtcNow();
        var tolerance = options.Value.InboundTolerance;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return Problem(401, "Stale timestamp",
                $"webhook-timestamp {timestamp} is more than {tolerance.TotalMinutes:0.#} minutes from the server's time ({now.ToUnixTimeSeconds()}). Sign each request when you send it, and check your clock; replays of old requests are refused.");
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return Problem(413, "Request too large", $"The body may be at most {MaxBodyBytes / 1024} KiB.");
        }
        var (body, over) = await SubmissionBody.ReadLimitedAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (over)
        {
            return Problem(413, "Request too large", $"The body may be at most {MaxBodyBytes / 1024} KiB.");
        }
        var integration = await integrations.FindSignerAsync(messageId, timestamp, body, signature, cancellationToken);
        if (integration is null)
        {
            return Problem(401, "Bad signature",
                "No active LMS integration's secret made this webhook-signature. Sign \"{webhook-id}.{webhook-timestamp}.{body}\" with HMAC-SHA256 keyed by the base64-decoded part of your whsec_ secret, over the exact bytes you send.");
        }

        LmsSubmissionRequest? input;
        try
        {
            input = JsonSerializer.Deserialize<LmsSubmissionRequest>(body, Json.Options);
        }
        catch (JsonException e)
        {
            return Problem(400, "Malformed JSON", $"The body is not the expected JSON object ({e.Message}).");
        }
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid LMS submission");
        }

        var bodyHash = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
        if (await integrations.FindMessageAsync(integration.Id, messageId, cancellationToken) is { } seen)
        {
            return seen.BodySha256 == bodyHash
                ? await DuplicateAsync(seen.SubmissionId, submissions, cancellationToken)
                : Problem(409, "webhook-id reused", $"webhook-id '{messageId}' was already used for a different request. Use a new webhook-id for every new submission.");
        }

        var assignment = await assignments.GetGateAsync(input!.AssignmentId!, cancellationToken);
        if (assignment is null || !assignment.Published || assignment.CurrentVersion is not { } version)
        {
            return Problem(404, "Unknown assignment", $"There is no published assignment '{input.AssignmentId}'.");
        }
        if (SubmissionEndpoints.ClosedProblem(assignment.Id, assignment.Settings, now) is { } closed)
        {
            return closed;
        }

        var (userId, role) = await integrations.FindOrCreateStudentAsync(input.ExternalUserId!, input.DisplayName ?? "", cancellationToken);
        if (role != Roles.Student)
        {
            return Problem(403, "Not a student", $"'{input.ExternalUserId}' is an instructor here; an LMS integration submits for students only.");
        }
        var source = input.Source!.Length > 0 && input.Source[0] == '\uFEFF' ? input.Source[1..] : input.Source;
        // The idempotency key makes two concurrent deliveries of one message end in one submission.
        var outcome = await intake.SubmitAsync(userId, assignment, version, source, $"lms:{integration.Id:N}:{messageId}", cancellationToken);
        switch (outcome)
        {
            case SubmitOutcome.LimitReached limit:
                return Problem(409, "Submission limit reached", $"'{input.ExternalUserId}' has used all {limit.Max} submissions for '{assignment.Id}'.");
            case SubmitOutcome.Replayed replayed:
                await integrations.RecordMessageAsync(integration.Id, messageId, bodyHash, replayed.Id, cancellationToken);
                return await DuplicateAsync(replayed.Id, submissions, cancellationToken);
            case SubmitOutcome.Created created:
                await integrations.RecordMessageAsync(integration.Id, messageId, bodyHash, created.Id, cancellationToken);
                var location = $"/api/submissions/{created.Id}";
                return TypedResults.Accepted(location, new LmsSubmissionView(created.Id, SubmissionState.Queued.Name(), location, userId, Duplicate: false));
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    private static Dictionary<string, string[]> Validate(LmsSubmissionRequest? input)
    {
        if (input is null)
        {
            return new() { ["body"] = ["Send a JSON object: {\"externalUserId\", \"displayName\", \"assignmentId\", \"source\"}."] };
        }
        var errors = ClientInput.Validate(input);
        if (errors.Count > 0)
        {
            return errors;
        }
        if (string.IsNullOrWhiteSpace(input.ExternalUserId) || input.ExternalUserId.Length > 200)
        {
            errors["externalUserId"] = ["Required: the student's id in your LMS, 1–200 characters."];
        }
        if (input.DisplayName is { Length: > 200 })
        {
            errors["displayName"] = ["At most 200 characters."];
        }
        if (string.IsNullOrWhiteSpace(input.AssignmentId))
        {
            errors["assignmentId"] = ["Required: the Grader assignment id (GET /api/assignments lists them)."];
        }
        if (string.IsNullOrWhiteSpace(input.Source))
        {
            errors["source"] = ["Required: the student's C# code."];
        }
        else if (Encoding.UTF8.GetByteCount(input.Source) > SubmissionBody.MaxSourceBytes)
        {
            errors["source"] = [$"At most {SubmissionBody.MaxSourceBytes / 1024} KiB of source."];
        }
        else if (input.Source.Contains('\0', StringComparison.Ordinal))
        {
            errors["source"] = ["The source contains NUL characters; send the text of the .cs/.csx file."];
        }
        return errors;
    }

    private static async Task<Ok<LmsSubmissionView>> DuplicateAsync(Guid submissionId, SubmissionStore submissions, CancellationToken cancellationToken)
    {
        var row = await submissions.GetAsync(submissionId, cancellationToken);
        var location = $"/api/submissions/{submissionId}";
        return TypedResults.Ok(new LmsSubmissionView(submissionId, (row?.State ?? SubmissionState.Queued).Name(), location, row?.StudentId ?? Guid.Empty, Duplicate: true));
    }

    private static IntegrationView ToView(IntegrationRow row) =>
        new(row.Id, row.Name, row.RevokedAt is null, row.CreatedAt, row.RevokedAt, row.PreviousSecret is null ? null : row.PreviousSecretUntil);

    private static ProblemHttpResult Unknown(Guid id) =>
        TypedResults.Problem(title: "Unknown LMS integration", detail: $"There is no active LMS integration {id}.", statusCode: 404);

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
