using System.Text.Json;
using Grader.Api.Grades;
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

/// <summary>The envelope every payload shares (Standard Webhooks' type / timestamp / data); <c>version</c> changes only when a payload's meaning does.</summary>
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

/// <summary>
/// Writes events into the delivery queue inside the caller's transaction (a transactional
/// outbox): an event exists exactly when the change that caused it committed.
/// </summary>
public sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider time)
{
    public const int PayloadVersion = 1;
    private readonly SemaphoreSlim _wake = new(0, 1);

    private string BaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>Tells this node's dispatcher that deliveries are waiting (other nodes find them by polling).</summary>
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

    /// <summary>submission.graded or submission.failed for a submission that has just reached a final state.</summary>
    public async Task SubmissionFinishedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid submissionId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT s.assignment_id, s.assignment_version, s.status, coalesce(s.score, 0), coalesce(s.max_score, 0), s.submitted_at,
                   coalesce(s.finished_at, now()), s.regrade_id, s.attempts, u.id, u.external_id, u.display_name,
                   a.due_at, a.late_penalty_per_day
            FROM submissions s JOIN users u ON u.id = s.student_id JOIN assignments a ON a.id = s.assignment_id
            WHERE s.id = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = submissionId });
        string type;
        object data;
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var student = new StudentRef(r.GetGuid(9), r.GetString(10), r.GetString(11));
            var status = r.GetString(2);
            var reportUrl = $"{BaseUrl}/api/submissions/{submissionId}";
            if (status == "Failed")
            {
                type = WebhookEventTypes.SubmissionFailed;
                data = new SubmissionFailedData(submissionId, r.GetString(0), r.GetInt32(1), student, r.GetInt32(8),
                    "The grader could not finish grading this submission (a system failure, not a problem with the code).",
                    r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), reportUrl);
            }
            else
            {
                var settings = new Assignments.AssignmentSettings(null, r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.GetDouble(13), null, null, "best", true);
                var late = GradeBook.ApplyLatePenalty(r.GetDouble(3), r.GetFieldValue<DateTimeOffset>(5), settings);
                type = WebhookEventTypes.SubmissionGraded;
                data = new SubmissionGradedData(submissionId, r.GetString(0), r.GetInt32(1), student, status, r.GetDouble(3), r.GetDouble(4),
                    late.DaysLate, late.Penalty, late.Score, r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6),
                    r.IsDBNull(7) ? null : r.GetGuid(7), reportUrl);
            }
        }
        await EnqueueAsync(connection, transaction, type, data, cancellationToken).ConfigureAwait(false);
    }

    public async Task GradeChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, GradeChange change, CancellationToken cancellationToken)
    {
        var data = new GradeChangedData(change.AssignmentId, new StudentRef(change.StudentId, change.ExternalId, change.DisplayName), change.Score, change.MaxScore, change.RawScore, change.DaysLate, change.Penalty,
            change.SubmissionId, change.PreviousScore, change.PreviousMaxScore, $"{BaseUrl}/api/instructor/assignments/{Uri.EscapeDataString(change.AssignmentId)}/gradebook");
        await EnqueueAsync(connection, transaction, WebhookEventTypes.GradeChanged, data, cancellationToken).ConfigureAwait(false);
    }

    public async Task AssignmentPublishedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT title, current_version, opens_at, due_at FROM assignments WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        AssignmentPublishedData data;
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            data = new AssignmentPublishedData(assignmentId, r.GetString(0), r.GetInt32(1),
                r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3),
                $"{BaseUrl}/api/assignments/{Uri.EscapeDataString(assignmentId)}");
        }
        await EnqueueAsync(connection, transaction, WebhookEventTypes.AssignmentPublished, data, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnqueueAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string type, T data, CancellationToken cancellationToken)
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
