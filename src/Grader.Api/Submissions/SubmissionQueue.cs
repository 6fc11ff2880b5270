using Grader.Api.Observability;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Grader.Api.Submissions;

public sealed class QueueOptions
{
    // How long an idle scheduler sleeps before looking for triggers another node added. Quartz 4
    // refuses less than one second; a job scheduled on the same node wakes its scheduler at once.
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(1);

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    // A Queued submission with no job this long is scheduled again (see QueueSweeper).
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromSeconds(15);

    // A Running submission with no fired trigger this long is scheduled again.
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    // This node's name in the cluster; generated (host name and time) when empty. Must be unique.
    public string? InstanceId { get; set; }
}

// Puts a submission on the Quartz queue: one durable-until-done job per submission, carrying
// only its id, recoverable when its node dies. Scheduled after the row commits; a crash in
// between leaves a Queued row that QueueSweeper schedules again, so nothing is lost
// and grading stays at-least-once (the job is idempotent).
public sealed class SubmissionQueue(ISchedulerFactory schedulers, IOptions<GradingOptions> grading, ILogger<SubmissionQueue> logger)
{
    public const string Group = "grade";
    public const string SubmissionIdKey = "submissionId";

    public async Task EnqueueAsync(Guid submissionId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var key = submissionId.ToString();
        var job = JobBuilder.Create<GradeSubmissionJob>()
            .WithIdentity(key, Group)
            .UsingJobData(SubmissionIdKey, key)
            .RequestRecovery(true)
            .Build();
        var trigger = TriggerBuilder.Create(scheduler.TimeProvider)
            .WithIdentity(key, Group)
            .ForJob(job)
            .StartNow()
            // Only infrastructure failures throw out of the job; a student's timeout is a result.
            .WithRetryPolicy(RetryPolicy.Exponential(grading.Value.MaxAttempts, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30)))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already on the queue (a sweep raced a slow commit, or a regrade of a running submission).
            logger.LogDebug("Submission {SubmissionId} is already queued", submissionId);
        }
    }
}

// Schedules again what fell off the queue, and keeps the queue-depth gauge current.
internal sealed class QueueSweeper(SubmissionStore submissions, SubmissionQueue queue, GraderMetrics metrics, IOptions<QueueOptions> options, ILogger<QueueSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                metrics.QueueDepth = await submissions.CountPendingAsync(stoppingToken).ConfigureAwait(false);
                foreach (var id in await submissions.FindOrphansAsync(options.Value.OrphanAfter, options.Value.StuckAfter, stoppingToken).ConfigureAwait(false))
                {
                    logger.LogWarning("Submission {SubmissionId} had no job; scheduling it again", id);
                    await queue.EnqueueAsync(id, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is NpgsqlException or SchedulerException)
            {
                logger.LogWarning(e, "Queue sweep failed; trying again next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

public sealed class GradeSubmissionJob(SubmissionGrader grader) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(context.MergedJobDataMap.GetString(SubmissionQueue.SubmissionIdKey)!);
        await grader.GradeAsync(id, context.Scheduler.SchedulerInstanceId, cancellationToken).ConfigureAwait(false);
    }
}
