using System.Text.Json;
using Grader.Api.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Grader.Api.Webhooks;

public static class WebhookEventTypes
{
    public const string SubmissionGraded = "submission.graded";
    public const string SubmissionFailed = "submission.failed";
    public const string GradeChanged = "grade.changed";
    public const string AssignmentPublished = "assignment.published";

    public static readonly string[] All = [SubmissionGraded, SubmissionFailed, GradeChanged, AssignmentPublished];
}

// The envelope every payload shares (Standard Webhooks' type / timestamp / data); version changes only when a payload's meaning does.
public sealed record WebhookPayload<T>(string Type, DateTimeOffset Timestamp, int Version, T Data);

public sealed record StudentRef(Guid Id, string ExternalId, string DisplayName);

public sealed record SubmissionGradedData(
    Guid SubmissionId, string AssignmentId, int AssignmentVersion, StudentRef Student, string Status,
    double Score, double MaxScore, int DaysLate, double LatePenalty, double ScoreAfterPenalty,
    DateTimeOffset SubmittedAt, DateTimeOffset FinishedAt, Guid? RegradeId, string ReportUrl);

public sealed record SubmissionFailedData(
    Guid SubmissionId, string AssignmentId, int AssignmentVersion, StudentRef Student, int Attempts, string Reason,
    DateTimeOffset SubmittedAt, DateTimeOffset FinishedAt, string ReportUrl);

public sealed record GradeChangedData(
    string AssignmentId, StudentRef Student, double Score, double MaxScore, double RawScore, int DaysLate, double LatePenalty,
    Guid SubmissionId, double? PreviousScore, double? PreviousMaxScore, string GradebookUrl);

public sealed record AssignmentPublishedData(string AssignmentId, string Title, int Version, DateTimeOffset? OpensAt, DateTimeOffset? DueAt, string Url);

// Writes events into the delivery queue inside the caller's transaction (a transactional
// outbox): an event exists exactly when the change that caused it committed.
public sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider time)
{
    public const int PayloadVersion = 1;
    private readonly SemaphoreSlim _wake = new(0, 1);

    private string BaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    // Tells this node's dispatcher that deliveries are waiting (other nodes find them by polling).
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    internal Task<bool> WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    // An absolute link into this service, for payloads.
    public string Link(string path) => BaseUrl + path;

    // Payloads are built by the feature that owns the change; the outbox only stores and routes them.
    public async Task EnqueueAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string type, T data, CancellationToken cancellationToken)
    {
        var messageId = "msg_" + Guid.CreateVersion7().ToString("N");
        var payload = JsonSerializer.Serialize(new WebhookPayload<T>(type, time.GetUtcNow(), PayloadVersion, data), Json.Options);
        // Disabled endpoints get nothing: re-enabled, they start again from new events.
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), e.id, $1, $2, $3, 'Pending', $4, $4
            FROM webhook_endpoints e WHERE e.disabled_at IS NULL AND $2 = ANY (e.event_types)
            """, connection, transaction);
        insert.Parameters.Add(new() { Value = messageId });
        insert.Parameters.Add(new() { Value = type });
        insert.Parameters.Add(new() { Value = payload });
        insert.Parameters.Add(new() { Value = time.GetUtcNow() });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
