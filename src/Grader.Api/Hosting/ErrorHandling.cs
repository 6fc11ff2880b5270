using System.Globalization;
using Grader.Api.Database;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Grader.Api.Hosting;

public static class ErrorHandling
{
    // JSON bodies and form posts; endpoints that take more (sources, packages, LMS requests) say so
    // with a RequestSizeLimit of their own.
    public const long DefaultMaxBodyBytes = 64 * 1024;

    internal static IHostApplicationBuilder AddErrorHandling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
            c.ProblemDetails.Detail ??= FallbackDetail(c.HttpContext, c.ProblemDetails);
        });
        builder.Services.AddSingleton<DatabaseOutage>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // Binding failures throw BadHttpRequestException so that BadRequestHandler can say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Non-ASCII bytes in a header reach the app, which can then say what is wrong with them;
        // Kestrel would refuse the request with an empty body.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
            o.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        return builder;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(LimitBodyAsync);
        return app;
    }

    internal static long MaxBodyBytes(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBodyBytes;

    internal static string Size(long bytes) =>
        bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    // The body limit of the endpoint, checked against Content-Length before anything reads the body
    // and enforced while it is read when the client did not say.
    private static async Task LimitBodyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var limit = MaxBodyBytes(context);
        if (context.Request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }
        var body = new LimitedBody(context.Request.Body, limit);
        context.Request.Body = body;
        await next(context).ConfigureAwait(false);
        // Some readers (the JSON binder) take an over-long body for a dropped connection and answer nothing.
        if (body.Exceeded && !context.Response.HasStarted && context.Response.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Clear();
            await WriteTooLargeAsync(context, limit).ConfigureAwait(false);
        }
    }

    private static async Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request too large", Detail = TooLargeDetail(limit) },
        }).ConfigureAwait(false);
    }

    private static string TooLargeDetail(long limit) =>
        $"The request body is larger than this endpoint accepts: at most {Size(limit)}. Send less (for a submission: only the source file).";

    // For the status codes the framework sets on its own (no route, wrong method, a bare NotFound()).
    private static string? FallbackDetail(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation)
        {
            var (field, reasons) = validation.Errors.First();
            return $"{field}: {reasons.FirstOrDefault()}{(validation.Errors.Count > 1 ? $" ({validation.Errors.Count} fields need fixing; see errors.)" : "")}";
        }
        var request = context.Request;
        return (problem.Status ?? context.Response.StatusCode) switch
        {
            StatusCodes.Status400BadRequest => "The request could not be read. Check the URL, the headers and the body against /openapi/v1.json.",
            StatusCodes.Status404NotFound when context.GetEndpoint() is null =>
                $"Nothing answers at '{request.Path}'. Check the URL: ids in it are GUIDs (like 0192c3e4-5f67-7a89-b0c1-d2e3f4a5b6c7) and /openapi/v1.json lists every endpoint.",
            StatusCodes.Status404NotFound => $"'{request.Path}' names nothing that exists, or nothing you may see. Check the ids in the URL.",
            StatusCodes.Status405MethodNotAllowed => $"'{request.Path}' does not take {request.Method}. /openapi/v1.json lists the methods of every endpoint.",
            StatusCodes.Status413PayloadTooLarge => TooLargeDetail(MaxBodyBytes(context)),
            StatusCodes.Status415UnsupportedMediaType => "This endpoint takes a JSON body: send it with Content-Type: application/json.",
            >= 500 => "The server failed to complete this request; nothing in it needs changing. If it keeps happening, report the traceId.",
            var status => $"The request ended with status {status.ToString(CultureInfo.InvariantCulture)} ({problem.Title}).",
        };
    }

    // A form body the framework's reader threw on (a %00, a broken encoding, a cut-off multipart):
    // the client's error, for the endpoint to answer. One over the size limit is the 413 handler's.
    public static bool IsUnreadableForm(Exception e) =>
        e is InvalidDataException or IOException && e is not BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };

    // A request the framework could not read (bad JSON, wrong content type, too large, a form with a
    // %00) is the client's error.
    private sealed class BadRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException unreadable)
            {
                // Checking a form's token reads the form; a form the framework cannot read (a %00 in
                // it, a broken encoding) throws there instead of failing the check.
                return await WriteAsync(httpContext, exception, StatusCodes.Status400BadRequest, "Malformed form",
                    $"The form could not be read ({unreadable.InnerException?.Message ?? unreadable.Message}). Use the forms of a Grader page: reload it and send the form again.").ConfigureAwait(false);
            }
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            var (title, detail) = bad.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported content type", "This endpoint takes a JSON body: send it with Content-Type: application/json."),
                StatusCodes.Status413PayloadTooLarge => ("Request too large", TooLargeDetail(MaxBodyBytes(httpContext))),
                _ => ("Bad request", bad.InnerException is System.Text.Json.JsonException json
                    ? $"{bad.Message} The JSON is malformed: {json.Message}"
                    : bad.Message),
            };
            return await WriteAsync(httpContext, exception, bad.StatusCode, title, detail).ConfigureAwait(false);
        }

        private async ValueTask<bool> WriteAsync(HttpContext httpContext, Exception exception, int status, string title, string detail)
        {
            httpContext.Response.StatusCode = status;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            }).ConfigureAwait(false);
        }
    }

    // PostgreSQL down or refusing connections is the service's condition, not a bug: 503, and try again.
    private sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, DatabaseOutage outage) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!DatabaseOutage.IsUnavailable(exception))
            {
                return false;
            }
            outage.Report(exception);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service temporarily unavailable",
                    Detail = $"Grader cannot reach its database just now, so this request may not have been completed. Send it again in {DatabaseOutage.RetryAfterSeconds} seconds; a submission sent again with the same Idempotency-Key is stored only once.",
                },
            }).ConfigureAwait(false);
        }
    }

    // Counts what is read and fails the read that goes past the limit.
    private sealed class LimitedBody(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException($"The request body is larger than {Size(limit)}.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }
    }
}
