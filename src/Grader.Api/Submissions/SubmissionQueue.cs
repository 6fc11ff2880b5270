using Grader.Api.Hosting;
using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Grader.Api.Submissions;

public sealed class QueueOptions
{
    // A worker's fetch waits on LISTEN/NOTIFY for new jobs; this poll only finds jobs re-offered
    // after a dead node's invisibility timeout, and so bounds how late they start.
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    // A fetched job is invisible to other workers while its node keeps it alive (every fifth of
    // this); a node killed mid-grade has its jobs fetched again this long after its last keep-alive.
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(15);

    // A dispatched submission whose job was never created (the node died between the commit and
    // the enqueue) gets one this long after it was dispatched.
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromSeconds(15);

    // A dispatched submission whose job exists is checked for a job that ended without finishing it
    // (deleted from the dashboard, failed past its retries) this long after it was dispatched. Longer
    // than a rush keeps jobs waiting, so a busy queue is not asked about every waiting job each round.
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JobCheckAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    // This node's name among the workers (stored as each submission's worker); the host name when empty.
    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,62}$", ErrorMessage = "Queue:InstanceId is lower-case letters, digits, '.', '_' or '-' (at most 63).")]
    public string? InstanceId { get; set; }

    // Allows the Hangfire dashboard's buttons (requeue, delete) for instructors; read-only otherwise.
    public bool DashboardActions { get; set; }

    public string WorkerName() => string.IsNullOrWhiteSpace(InstanceId) ? Environment.MachineName.ToLowerInvariant() : InstanceId;
}

// Puts submissions on the Hangfire queue: one job per dispatched submission, carrying only its
// id. A submission is dispatched when it heads its student's lane (SubmissionStore.DispatchNextAsync),
// in the same transaction that queued it or finished the one before it. The job is created after
// that commit: Hangfire.PostgreSql writes through its own connections, and one transaction across
// two connections would need a distributed transaction, which Npgsql does not do on Linux. A crash
// in between leaves a dispatched submission without a job, which QueueSweeper notices.
public sealed partial class SubmissionQueue(IBackgroundJobClient jobs, SubmissionStore submissions, ILogger<SubmissionQueue> logger)
{
    public const string QueueName = "grade";

    public async Task EnqueueAsync(Dispatch dispatch, CancellationToken cancellationToken)
    {
        var jobId = jobs.Create(
            Job.FromExpression<GradeSubmissionJob>(j => j.RunAsync(dispatch.SubmissionId, null, CancellationToken.None)),
            new EnqueuedState(QueueName));
        await submissions.RecordJobAsync(dispatch, jobId, cancellationToken).ConfigureAwait(false);
    }

    // After a commit that may have freed or filled a lane: create the job of whatever was dispatched.
    public async Task EnqueueIfDispatchedAsync(Dispatch? dispatch, CancellationToken cancellationToken)
    {
        if (dispatch is null)
        {
            return;
        }
        try
        {
            await EnqueueAsync(dispatch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The dispatch is committed; the sweeper creates the job. Nobody need submit again.
            LogEnqueueFailed(e, dispatch.SubmissionId);
        }
    }

    public async Task DispatchAsync(Guid studentId, CancellationToken cancellationToken) =>
        await EnqueueIfDispatchedAsync(await submissions.DispatchNextAsync(studentId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    [LoggerMessage(LogLevel.Warning, "Could not create the job of submission {SubmissionId}; the queue sweeper will")]
    private partial void LogEnqueueFailed(Exception e, Guid submissionId);
}

// What at-least-once delivery and crashes leave behind, repaired every few seconds on one worker
// at a time: lanes with no head, dispatched submissions whose job was never created, and those
// whose job ended (deleted from the dashboard, or failed past its retries) without finishing them.
internal sealed partial class QueueSweeper(
    NpgsqlDataSource dataSource,
    SubmissionStore submissions,
    SubmissionQueue queue,
    JobStorage storage,
    TimeProvider time,
    IOptions<QueueOptions> options,
    ILogger<QueueSweeper> logger)
    : BackgroundService
{
    private const long SweepLock = 0x67726164_7377; // "gradsw"
    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase)
    {
        EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogSweepFailed(e);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken).ConfigureAwait(false));
    }


    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        // One node sweeps at a time; the others skip the round.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = SweepLock } } })
        {
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return;
            }
        }
        try
        {
            foreach (var student in await submissions.FindStalledLanesAsync(cancellationToken).ConfigureAwait(false))
            {
                LogStalledLane(student);
                await queue.DispatchAsync(student, cancellationToken).ConfigureAwait(false);
            }
            var before = time.GetUtcNow() - options.Value.OrphanAfter;
            var dispatched = await submissions.ListDispatchedAsync(before, cancellationToken).ConfigureAwait(false);
            if (dispatched.Count == 0)
            {
                return;
            }
            var checkJobsBefore = time.GetUtcNow() - options.Value.JobCheckAfter;
            using var jobs = storage.GetConnection();
            foreach (var row in dispatched)
            {
                if (row.JobId is null)
                {
                    LogMissingJob(row.Id);
                    await queue.EnqueueIfDispatchedAsync(new Dispatch(row.Id, row.DispatchedAt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (row.DispatchedAt > checkJobsBefore)
                {
                    continue;
                }
                var state = jobs.GetStateData(row.JobId)?.Name;
                if (state is not null && LiveStates.Contains(state))
                {
                    continue;
                }
                LogDeadJob(row.Id, row.JobId, state ?? "gone");
                await queue.EnqueueIfDispatchedAsync(await submissions.RedispatchAsync(row, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = SweepLock } } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Queue sweep failed; trying again next round")]
    private partial void LogSweepFailed(Exception e);

    [LoggerMessage(LogLevel.Warning, "Student {StudentId} had Queued submissions and none dispatched; dispatching the oldest")]
    private partial void LogStalledLane(Guid studentId);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId} was dispatched but has no job; creating it")]
    private partial void LogMissingJob(Guid submissionId);

    [LoggerMessage(LogLevel.Warning, "Submission {SubmissionId} is unfinished but its job {JobId} is {JobState}; dispatching it again")]
    private partial void LogDeadJob(Guid submissionId, string jobId, string jobState);
}

// The Hangfire job. Retries are for infrastructure failures only (the grader throws only for
// those; a student's timeout is a verdict): quick at first, then patient, for a database outage.
public sealed class GradeSubmissionJob(SubmissionGrader grader, IOptions<QueueOptions> options)
{
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 20, 30, 60, 60, 120, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(SubmissionQueue.QueueName)]
    public Task RunAsync(Guid submissionId, PerformContext? context, CancellationToken cancellationToken) =>
        grader.GradeAsync(submissionId, options.Value.WorkerName(),
            context?.BackgroundJob.Id ?? throw new InvalidOperationException("Hangfire runs this job with its context."), cancellationToken);
}
