using System.Diagnostics.Metrics;

namespace Grader.Api.Observability;

// The service's instruments, under the meter "Grader".
public sealed class GraderMetrics
{
    public const string MeterName = "Grader";
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _verdicts;
    private readonly Histogram<double> _gradingDuration;
    private readonly Histogram<double> _submitToGraded;

    public GraderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _submitted = meter.CreateCounter<long>("grader.submissions.received", description: "Submissions accepted onto the queue.");
        _verdicts = meter.CreateCounter<long>("grader.submissions.finished", description: "Finished gradings by final status.");
        _gradingDuration = meter.CreateHistogram<double>("grader.grading.duration", unit: "ms", description: "Time a worker spent grading one submission.");
        _submitToGraded = meter.CreateHistogram<double>("grader.submission.latency", unit: "ms", description: "From submission to stored result.");
        meter.CreateObservableGauge("grader.queue.depth", () => QueueDepth, description: "Submissions Queued or Running, as of the last sweep.");
        meter.CreateObservableGauge("grader.queue.oldest_age", () => OldestQueuedSeconds, unit: "s", description: "Age of the oldest Queued submission, as of the last refresh.");
        meter.CreateObservableGauge("grader.webhooks.backlog", () => WebhookBacklog, description: "Webhook deliveries waiting to be sent, as of the last refresh.");
        meter.CreateObservableGauge("grader.runners", ObserveRunners, description: "This worker's runner processes by state (size, in_use, ready).");
    }

    private Func<(int Size, int InUse, int Ready)>? _runners;

    // The worker's runner pool, once its grading engine has started.
    public void ObserveRunnerPool(Func<(int Size, int InUse, int Ready)> runners) => _runners = runners;

    private IEnumerable<Measurement<int>> ObserveRunners()
    {
        if (_runners is null)
        {
            yield break;
        }
        var (size, inUse, ready) = _runners();
        yield return new Measurement<int>(size, new KeyValuePair<string, object?>("state", "size"));
        yield return new Measurement<int>(inUse, new KeyValuePair<string, object?>("state", "in_use"));
        yield return new Measurement<int>(ready, new KeyValuePair<string, object?>("state", "ready"));
    }

    public long WebhookBacklog { get; set; }

    // Refreshed by MetricsRefresher every few seconds: a gauge callback must not query the database.
    public long QueueDepth { get; set; }

    public double OldestQueuedSeconds { get; set; }

    public void Submitted() => _submitted.Add(1);

    public void Finished(string status, double gradingMs, double sinceSubmittedMs)
    {
        _verdicts.Add(1, new KeyValuePair<string, object?>("status", status));
        _gradingDuration.Record(gradingMs, new KeyValuePair<string, object?>("status", status));
        _submitToGraded.Record(sinceSubmittedMs);
    }
}
