using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Grader.Api.Webhooks;
using Npgsql;

namespace Grader.Api.Observability;

// The gauges that need the database (queue depth and age, webhook backlog), read every few
// seconds on every node, so that whichever node Prometheus scrapes tells the same.
internal sealed partial class MetricsRefresher(SubmissionStore submissions, WebhookStore webhooks, GraderMetrics metrics, ILogger<MetricsRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var (pending, oldest) = await submissions.QueueStateAsync(stoppingToken).ConfigureAwait(false);
                metrics.QueueDepth = pending;
                metrics.OldestQueuedSeconds = oldest.TotalSeconds;
                metrics.WebhookBacklog = await webhooks.CountBacklogAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The gauges keep their last values; /health/ready reports the outage.
                LogRefreshFailed(e.Message);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken).ConfigureAwait(false));
    }


    [LoggerMessage(LogLevel.Debug, "Could not refresh the gauges: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
