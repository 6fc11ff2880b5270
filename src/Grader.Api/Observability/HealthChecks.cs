using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Grader.Api.Observability;

public static class HealthCheckExtensions
{
    private const string Ready = "ready";

    internal static IHostApplicationBuilder AddGraderHealthChecks(this IHostApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [Ready])
            .AddCheck<QueueHealthCheck>("queue", tags: [Ready]);
        if (builder.AddValidatedOptions<GraderOptions>("Grader").IsWorker)
        {
            checks.AddCheck<RunnerPoolHealthCheck>("runner-pool", tags: [Ready]);
        }
        return builder;
    }

    internal static IEndpointRouteBuilder MapGraderHealthChecks(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: it can do its job (database, scheduler, runners).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            ResponseWriter = WriteJson,
        }).WithTags("Health");
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
            }
        }
    }

    // A worker is ready once its Hangfire server has announced itself with a recent heartbeat.
    private sealed class QueueHealthCheck(JobStorage storage, IOptions<GraderOptions> grader, IOptions<QueueOptions> queue, TimeProvider time) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!grader.Value.IsWorker)
            {
                return Task.FromResult(HealthCheckResult.Healthy("API node: enqueues jobs, runs none."));
            }
            var prefix = queue.Value.WorkerName() + ":";
            var server = storage.GetMonitoringApi().Servers().FirstOrDefault(s => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            var now = time.GetUtcNow().UtcDateTime;
            return Task.FromResult(server is { Heartbeat: { } beat } && now - beat < TimeSpan.FromMinutes(1)
                ? HealthCheckResult.Healthy($"Hangfire server {server.Name} with {server.WorkersCount} workers.")
                : HealthCheckResult.Unhealthy(server is null ? "The Hangfire server has not started." : "The Hangfire server's heartbeat is late."));
        }
    }

    private sealed class RunnerPoolHealthCheck(GradingEngineHost engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(engine.IsStarted
                ? HealthCheckResult.Healthy($"Runner pool up, isolation: {engine.IsolationMode}.")
                : HealthCheckResult.Unhealthy(engine.StartFailure is { } e ? $"The grading engine did not start: {e.Message}" : "The grading engine is starting."));
    }
}
