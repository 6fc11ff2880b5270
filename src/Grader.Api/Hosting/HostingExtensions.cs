namespace Grader.Api.Hosting;

public static class HostingExtensions
{
    // What every node needs around the features: errors as ProblemDetails, rate limits, the
    // OpenAPI document, a clock, and the development start-up (packages, a first instructor).
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<GraderOptions>("Grader");
        builder.AddErrorHandling();
        builder.AddGraderRateLimits();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddBootstrap();
        return builder;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        return app;
    }
}
