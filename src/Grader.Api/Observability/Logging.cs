using System.Diagnostics;
using System.Security.Claims;
using Serilog;
using Serilog.Formatting.Json;

namespace Grader.Api.Observability;

public static class Logging
{
    // Serilog, structured JSON to the console, levels from the "Serilog" configuration section.
    internal static IHostApplicationBuilder AddGraderLogging(this IHostApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(new JsonFormatter(renderMessage: true))
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        Log.Logger = logger;
        return builder;
    }

    // One event per request: method, route, status, time, user id. Never bodies, queries or headers.
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var clock = Stopwatch.StartNew();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Grader.Requests");
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value;
            // A 503 is an outage the database watcher reports once; each request need not be an error.
            var level = context.Response.StatusCode switch { 503 => LogLevel.Warning, >= 500 => LogLevel.Error, _ => LogLevel.Information };
            logger.Log(level, "HTTP {RequestMethod} {Route} responded {StatusCode} in {ElapsedMs:F1} ms for {UserId}",
                context.Request.Method, route, context.Response.StatusCode, clock.Elapsed.TotalMilliseconds,
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous");
        }
    });
}
