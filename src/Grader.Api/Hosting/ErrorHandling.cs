using Microsoft.AspNetCore.Diagnostics;

namespace Grader.Api.Hosting;

public static class ErrorHandling
{
    internal static IHostApplicationBuilder AddErrorHandling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // Binding failures throw BadHttpRequestException so that BadRequestHandler can say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    // A request the framework could not read (bad JSON, wrong content type, too large) is the client's error.
    private sealed class BadRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            var (title, detail) = bad.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported content type", "This endpoint takes application/json."),
                StatusCodes.Status413PayloadTooLarge => ("Request too large", "The request body is larger than this endpoint accepts."),
                _ => ("Bad request", bad.InnerException is System.Text.Json.JsonException json
                    ? $"{bad.Message} The JSON is malformed: {json.Message}"
                    : bad.Message),
            };
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = bad.StatusCode, Title = title, Detail = detail },
            }).ConfigureAwait(false);
        }
    }
}
