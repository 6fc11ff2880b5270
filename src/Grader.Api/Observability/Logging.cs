using System.Security.Claims;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Grader.Api.Observability;

public static class Logging
{
    // Stage one, before the host exists: what goes wrong while it is built (configuration, the
    // database) is still logged, and Program logs a failed start with it.
    public static void StartBootstrapLogger() =>
        Log.Logger = Console(new LoggerConfiguration().MinimumLevel.Information(), readable: !System.Console.IsOutputRedirected).CreateLogger();

    // Stage two, the host's own logger: levels from the "Serilog" configuration section; a
    // human-readable console when a developer runs the service in a terminal, JSON lines everywhere
    // else (CI, containers, tests). Each host keeps its logger to itself (several hosts share one
    // process in the tests) and also writes to the other logging providers registered.
    internal static IHostApplicationBuilder AddGraderLogging(this IHostApplicationBuilder builder)
    {
        var readable = builder.Environment.IsDevelopment() && !System.Console.IsOutputRedirected;
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) => Console(logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.With<WithoutRequestPath>(), readable),
            preserveStaticLogger: true, writeToProviders: true);
        return builder;
    }

    private static LoggerConfiguration Console(LoggerConfiguration logger, bool readable) => readable
        ? logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
        : logger.WriteTo.Console(new JsonFormatter(renderMessage: true));

    // One event per request: method, route template (never the path: sign-in links carry their
    // token there), status, time, user id, and the assignment and submission where the route or the
    // handler names them. Never bodies, queries or headers.
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseSerilogRequestLogging(o =>
    {
        o.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
        // A 503 is an outage the database watcher reports once; each request need not be an error.
        o.GetLevel = (context, _, e) => context.Response.StatusCode switch
        {
            503 => LogEventLevel.Warning,
            >= 500 => LogEventLevel.Error,
            _ => e is not null ? LogEventLevel.Error : LogEventLevel.Information,
        };
        o.GetMessageTemplateProperties = (context, _, elapsed, status) =>
        [
            new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
            new LogEventProperty("Route", new ScalarValue(RouteOf(context))),
            new LogEventProperty("StatusCode", new ScalarValue(status)),
            new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
        ];
        o.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("UserId", context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous");
            if (context.Request.RouteValues.TryGetValue("assignmentId", out var assignment) && assignment is string a)
            {
                diagnostics.Set("AssignmentId", a);
            }
            if (context.Request.RouteValues.TryGetValue("submissionId", out var submission) && submission is string s)
            {
                diagnostics.Set("SubmissionId", s);
            }
        };
    });

    // The matched endpoint's template; a request that matched none is named by its kind only.
    private static string RouteOf(HttpContext context) => context.GetEndpoint() switch
    {
        RouteEndpoint route => route.RoutePattern.RawText ?? "(unnamed route)",
        { DisplayName: { } name } => name,
        _ => context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? "/api (no route)" : "(no route)",
    };

    // ASP.NET Core puts the request's path on every event of the request (a logging scope). Sign-in
    // links carry their token in the path, so the path never reaches a log; the route template does.
    private sealed class WithoutRequestPath : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.RemovePropertyIfPresent("RequestPath");
    }
}
