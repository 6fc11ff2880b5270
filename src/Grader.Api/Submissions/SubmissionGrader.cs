using System.Diagnostics;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Observability;
using Grader.Api.Users;
using Grader.Api.Webhooks;
using Grader.Core.Grading;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Grader.Api.Submissions;

// Thrown out of a job so that Hangfire retries it: the grader, not the student, failed.
public sealed class GradingInfrastructureException(string message, Exception? inner = null) : Exception(message, inner);

// Grades one submission from the beginning: safe to run again for the same id (a recovered job,
// a retry), because it only ever moves the row Queued/Running → Running → final.
public sealed partial class SubmissionGrader(
    NpgsqlDataSource dataSource,
    SubmissionStore submissions,
    RegradeStore regrades,
    AssignmentStore assignments,
    PackageCache packages,
    GradingEngineHost engineHost,
    GradeBook gradeBook,
    UserStore users,
    WebhookOutbox webhooks,
    SubmissionQueue queue,
    GraderMetrics metrics,
    TimeProvider time,
    IOptions<GradingOptions> options,
    ILogger<SubmissionGrader> logger)
{
    public async Task GradeAsync(Guid submissionId, string worker, string jobId, CancellationToken cancellationToken)
    {
        var started = await submissions.TryStartAsync(submissionId, worker, jobId, cancellationToken).ConfigureAwait(false);
        if (started is null)
        {
            LogAlreadyFinished(submissionId);
            return;
        }
        var clock = Stopwatch.StartNew();
        GradeReport report;
        AssignmentGate? assignment = null;
        try
        {
            assignment = await assignments.GetGateAsync(started.AssignmentId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Assignment {started.AssignmentId} is gone.");
            var version = await packages.GetAsync(started.AssignmentId, started.AssignmentVersion, cancellationToken).ConfigureAwait(false);
            var engine = await engineHost.GetAsync(cancellationToken).ConfigureAwait(false);
            var reveal = assignment.Settings.RevealAfterDue && assignment.Settings.DueAt is { } due && time.GetUtcNow() > due;
            report = await engine.GradeAsync(version.Package, version.Expected, started.Source, new GradeOptions { RevealAfterDueCases = reveal }, cancellationToken)
                .ConfigureAwait(false);
            if (report.Status == GradeStatus.Failed)
            {
                throw new GradingInfrastructureException($"The grader failed: {report.Summary}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (started.Attempts < options.Value.MaxAttempts)
            {
                LogRetry(e, submissionId, started.Attempts);
                await submissions.RequeueAsync(submissionId, CancellationToken.None).ConfigureAwait(false);
                throw new GradingInfrastructureException($"Grading {submissionId} failed on attempt {started.Attempts}; it will be retried.", e);
            }
            LogGaveUp(e, submissionId, started.Attempts);
            report = new GradeReport
            {
                AssignmentId = started.AssignmentId,
                Status = GradeStatus.Failed,
                Score = 0,
                MaxScore = 0,
                Summary = $"The grader could not finish after {started.Attempts} attempts. This is not a problem with your code; your instructor has been told. Submit again later.",
            };
        }

        var state = SubmissionStates.From(report.Status);
        // The payload needs the assignment even when loading it was what failed on an earlier attempt.
        assignment ??= await assignments.GetGateAsync(started.AssignmentId, cancellationToken).ConfigureAwait(false);
        var student = await users.FindAsync(started.StudentId, cancellationToken).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var finishedAt = await submissions.FinishAsync(connection, transaction, submissionId, jobId, state, report.Score, report.MaxScore,
            JsonSerializer.Serialize(report, Json.Options), cancellationToken).ConfigureAwait(false);
        if (finishedAt is null)
        {
            // Another run of this job finished first (at-least-once delivery); its result stands.
            LogAlreadyFinished(submissionId);
            return;
        }
        if (assignment is not null && student is not null)
        {
            await FinishedEventAsync(connection, transaction, started, state, report, finishedAt.Value, assignment.Settings, student, cancellationToken).ConfigureAwait(false);
        }
        await gradeBook.RecomputeAsync(connection, transaction, started.AssignmentId, started.StudentId, cancellationToken).ConfigureAwait(false);
        if (started.RegradeId is { } regradeId)
        {
            await regrades.RecordFinishedAsync(connection, transaction, regradeId, submissionId, state, report.Score, report.MaxScore, cancellationToken).ConfigureAwait(false);
        }
        // The student's lane is free: their next submission, if any, is dispatched with this result.
        var next = await submissions.DispatchNextAsync(connection, transaction, started.StudentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        await queue.EnqueueIfDispatchedAsync(next, CancellationToken.None).ConfigureAwait(false);

        metrics.Finished(state.Name(), clock.Elapsed.TotalMilliseconds, (time.GetUtcNow() - started.SubmittedAt).TotalMilliseconds);
        LogGraded(submissionId, started.AssignmentId, state.Name(), report.Score, report.MaxScore, clock.Elapsed.TotalMilliseconds);
    }

    // submission.graded, or submission.failed when the grader (not the student) failed.
    private async Task FinishedEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StartedSubmission started, SubmissionState state,
        GradeReport report, DateTimeOffset finishedAt, AssignmentSettings settings, UserRow student, CancellationToken cancellationToken)
    {
        var who = new StudentRef(student.Id, student.ExternalId, student.DisplayName);
        var reportUrl = webhooks.Link($"/api/submissions/{started.Id}");
        if (state == SubmissionState.Failed)
        {
            await webhooks.EnqueueAsync(connection, transaction, WebhookEventTypes.SubmissionFailed, new SubmissionFailedData(
                started.Id, started.AssignmentId, started.AssignmentVersion, who, started.Attempts,
                "The grader could not finish grading this submission (a system failure, not a problem with the code).",
                started.SubmittedAt, finishedAt, reportUrl), cancellationToken).ConfigureAwait(false);
            return;
        }
        var late = GradeBook.ApplyLatePenalty(report.Score, started.SubmittedAt, settings);
        await webhooks.EnqueueAsync(connection, transaction, WebhookEventTypes.SubmissionGraded, new SubmissionGradedData(
            started.Id, started.AssignmentId, started.AssignmentVersion, who, state.Name(), report.Score, report.MaxScore,
            late.DaysLate, late.Penalty, late.Score, started.SubmittedAt, finishedAt, started.RegradeId, reportUrl), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId} for {Assignment}: {Status} {Score}/{MaxScore} in {ElapsedMs:F0} ms")]
    private partial void LogGraded(Guid submissionId, string assignment, string status, double score, double maxScore, double elapsedMs);

    [LoggerMessage(LogLevel.Information, "Submission {SubmissionId} is already finished; nothing to do")]
    private partial void LogAlreadyFinished(Guid submissionId);

    [LoggerMessage(LogLevel.Warning, "Grading submission {SubmissionId} failed on attempt {Attempt}; retrying")]
    private partial void LogRetry(Exception e, Guid submissionId, int attempt);

    [LoggerMessage(LogLevel.Error, "Grading submission {SubmissionId} failed {Attempt} times; marking it Failed")]
    private partial void LogGaveUp(Exception e, Guid submissionId, int attempt);
}
