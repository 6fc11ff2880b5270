using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Grader.Api.Observability;

public static class ObservabilityExtensions
{
    // Logging first, so that everything after it (the database start included) is logged.
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.AddGraderLogging();
        builder.Services.AddSingleton<GraderMetrics>();
        builder.Services.AddHostedService<MetricsRefresher>();
        builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("grader")).WithMetrics(m => m
            .AddMeter(GraderMetrics.MeterName)
            .AddView("grader.grading.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600] })
            .AddView("grader.submission.latency", new ExplicitBucketHistogramConfiguration { Boundaries = [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 60000] })
            .AddPrometheusExporter());
        builder.AddGraderHealthChecks();
        return builder;
    }

    // /metrics in Prometheus text format, unauthenticated like the health checks: it carries counts
    // and durations only, never a user, an assignment's content or a submission id.
    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app.MapGraderHealthChecks();
    }
}
