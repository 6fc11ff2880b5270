using System.Diagnostics;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Observability;
using Grader.Api.Webhooks;
using Grader.Core.Grading;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Grader.Api.Submissions;

/// <summary>Thrown out of a job so that Quartz retries it: the grader, not the student, failed.</summary>
public sealed class GradingInfrastructureException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Grades one submission from the beginning: safe to run again for the same id (a recovered job,
/// a retry), because it only ever moves the row Queued/Running → Running → final.
/// </summary>
public sealed partial class SubmissionGrader(
    NpgsqlDataSource dataSource,
    SubmissionStore submissions,
    AssignmentStore assignments,
    PackageCache packages,
    GradingEngineHost engineHost,
    GradeBook gradeBook,
    WebhookOutbox webhooks,
    GraderMetrics metrics,
    TimeProvider time,
    IOptions<GradingOptions> options,
    ILogger<SubmissionGrader> logger)
{
    public async Task GradeAsync(Guid submissionId, string worker, CancellationToken cancellationToken)
    {
        var started = await submissions.TryStartAsync(submissionId, worker, cancellationToken).ConfigureAwait(false);
        if (started is null)
        {
            LogAlreadyFinished(submissionId);
            return;
        }
        var clock = Stopwatch.StartNew();
        GradeReport report;
        try
        {
            var assignment = await assignments.GetAsync(started.AssignmentId, cancellationToken).ConfigureAwait(false)
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

        var status = report.Status.ToString();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stored = await submissions.FinishAsync(connection, transaction, submissionId, status, report.Score, report.MaxScore,
            JsonSerializer.Serialize(report, Json.Options), cancellationToken).ConfigureAwait(false);
        if (!stored)
        {
            // Another run of this job finished first (at-least-once delivery); its result stands.
            LogAlreadyFinished(submissionId);
            return;
        }
        await webhooks.SubmissionFinishedAsync(connection, transaction, submissionId, cancellationToken).ConfigureAwait(false);
        await gradeBook.RecomputeAsync(connection, transaction, started.AssignmentId, started.StudentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();

        metrics.Finished(status, clock.Elapsed.TotalMilliseconds, (time.GetUtcNow() - started.SubmittedAt).TotalMilliseconds);
        LogGraded(submissionId, started.AssignmentId, status, report.Score, report.MaxScore, clock.Elapsed.TotalMilliseconds);
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
