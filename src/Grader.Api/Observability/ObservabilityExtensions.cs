namespace Grader.Api.Observability;

public static class ObservabilityExtensions
{
    // Logging first, so that everything after it (the database start included) is logged.
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.AddGraderLogging();
        builder.Services.AddSingleton<GraderMetrics>();
        builder.AddGraderHealthChecks();
        return builder;
    }

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app) => app.MapGraderHealthChecks();
}
