using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Grader.Api.Submissions;

namespace Grader.Api.Hosting;

public sealed class RateLimitOptions
{
    // Submissions one student may make per window, across all assignments.
    [Range(1, 10_000)]
    public int SubmissionsPerWindow { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class RateLimits
{
    internal static IHostApplicationBuilder AddGraderRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = builder.AddValidatedOptions<RateLimitOptions>("RateLimits");
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SubmissionEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SubmissionsPerWindow, Window = limits.Window, QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many submissions",
                        Detail = $"You may submit {limits.SubmissionsPerWindow} times per {limits.Window.TotalSeconds:0} s. Try again in {retryAfter.TotalSeconds:0} s.",
                    },
                }).ConfigureAwait(false);
            };
        });
        return builder;
    }
}
