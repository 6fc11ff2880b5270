using System.Security.Claims;
using System.Text.Json;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Grader.Api.Webhooks;

public sealed record CreateEndpointRequest(
    [property: TextLimit(WebhookEndpoints.MaxUrl)] string? Url,
    [property: TextLimit(100)] string[]? EventTypes,
    [property: TextLimit(WebhookEndpoints.MaxDescription, Multiline = true)] string? Description);

public sealed record UpdateEndpointRequest(
    [property: TextLimit(WebhookEndpoints.MaxUrl)] string? Url,
    [property: TextLimit(100)] string[]? EventTypes,
    [property: TextLimit(WebhookEndpoints.MaxDescription, Multiline = true)] string? Description,
    bool? Enabled);

public sealed record RotateSecretRequest(double? OverlapHours);

public sealed record EndpointView(
    Guid Id, string Url, string Description, string[] EventTypes, bool Enabled, DateTimeOffset? DisabledAt, string? DisabledReason,
    int FailureStreak, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretValidUntil, DateTimeOffset CreatedAt);

// The only responses that carry a secret: keep it, it is not shown again.
public sealed record EndpointSecretView(EndpointView Endpoint, string Secret);

public sealed record AttemptView(int Attempt, DateTimeOffset StartedAt, int? StatusCode, double LatencyMs, string? Error);

public sealed record DeliveryView(
    Guid Id, string MessageId, string EventType, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt, string? LastError, AttemptView[] AttemptLog, JsonElement Payload);

// Instructors register, change, rotate, inspect and redeliver webhook endpoints.
public static class WebhookEndpoints
{
    public const int MaxDescription = 500;
    public const int MaxUrl = 2000;

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructor/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Instructor);
        group.MapGet("/", List);
        group.MapPost("/", Create);
        group.MapGet("/{endpointId:guid}", Get);
        group.MapPatch("/{endpointId:guid}", Update);
        group.MapDelete("/{endpointId:guid}", Delete);
        group.MapPost("/{endpointId:guid}/rotate-secret", Rotate);
        group.MapGet("/{endpointId:guid}/deliveries", Deliveries);
        group.MapPost("/{endpointId:guid}/deliveries/{deliveryId:guid}/redeliver", Redeliver);
        app.MapWebhookPages();
        return group;
    }

    public static async Task<Ok<EndpointView[]>> List(WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(ToView).ToArray());

    public static async Task<Results<Created<EndpointSecretView>, ValidationProblem>> Create(
        CreateEndpointRequest request, ClaimsPrincipal user, WebhookStore store, DestinationGuard guard, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Url is null)
        {
            errors["url"] = ["Required: the https:// URL that receives the events."];
        }
        else if (await guard.CheckUrlAsync(request.Url, cancellationToken) is { } urlProblem)
        {
            errors["url"] = [urlProblem];
        }
        CheckEventTypes(request.EventTypes, required: true, errors);
        if (request.Description is { Length: > MaxDescription })
        {
            errors["description"] = [$"At most {MaxDescription} characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid webhook endpoint");
        }
        var (row, secret) = await store.CreateAsync(request.Url!, request.Description ?? "", request.EventTypes!.Distinct(StringComparer.Ordinal).ToArray(),
            user.UserId(), cancellationToken);
        return TypedResults.Created($"/api/instructor/webhooks/{row.Id}", new EndpointSecretView(ToView(row), secret));
    }

    public static async Task<Results<Ok<EndpointView>, ProblemHttpResult>> Get(Guid endpointId, WebhookStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(endpointId, cancellationToken) is { } row ? TypedResults.Ok(ToView(row)) : Unknown(endpointId);

    public static async Task<Results<Ok<EndpointView>, ValidationProblem, ProblemHttpResult>> Update(
        Guid endpointId, UpdateEndpointRequest request, WebhookStore store, DestinationGuard guard, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Url is not null && await guard.CheckUrlAsync(request.Url, cancellationToken) is { } urlProblem)
        {
            errors["url"] = [urlProblem];
        }
        CheckEventTypes(request.EventTypes, required: false, errors);
        if (request.Description is { Length: > MaxDescription })
        {
            errors["description"] = [$"At most {MaxDescription} characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid webhook endpoint");
        }
        if (!await store.UpdateAsync(endpointId, request.Url, request.Description, request.EventTypes?.Distinct(StringComparer.Ordinal).ToArray(),
            request.Enabled, cancellationToken))
        {
            return Unknown(endpointId);
        }
        return TypedResults.Ok(ToView((await store.GetAsync(endpointId, cancellationToken))!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid endpointId, WebhookStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(endpointId, cancellationToken) ? TypedResults.NoContent() : Unknown(endpointId);

    public static async Task<Results<Ok<EndpointSecretView>, ValidationProblem, ProblemHttpResult>> Rotate(
        Guid endpointId, RotateSecretRequest? request, WebhookStore store, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        if (RotationOverlap(request, options.Value) is not { } overlap)
        {
            return InvalidOverlap();
        }
        if (await store.RotateAsync(endpointId, overlap, cancellationToken) is not { } secret)
        {
            return Unknown(endpointId);
        }
        return TypedResults.Ok(new EndpointSecretView(ToView((await store.GetAsync(endpointId, cancellationToken))!), secret));
    }

    public static async Task<Results<Ok<DeliveryView[]>, ProblemHttpResult>> Deliveries(
        Guid endpointId, string? status, int? limit, WebhookStore store, CancellationToken cancellationToken)
    {
        if (status is not (null or "Pending" or "Delivered" or "Failed"))
        {
            return TypedResults.Problem(title: "Bad status", detail: "status is Pending, Delivered or Failed (or leave it out for all).", statusCode: 400);
        }
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem(title: "Bad limit", detail: "limit is from 1 to 500 (default 100).", statusCode: 400);
        }
        if (await store.GetAsync(endpointId, cancellationToken) is null)
        {
            return Unknown(endpointId);
        }
        var deliveries = await store.ListDeliveriesAsync(endpointId, status, limit ?? 100, cancellationToken);
        var attempts = (await store.ListAttemptsAsync(deliveries.Select(d => d.Id).ToArray(), cancellationToken)).ToLookup(a => a.DeliveryId);
        return TypedResults.Ok(deliveries.Select(d => new DeliveryView(d.Id, d.MessageId, d.EventType, d.Status, d.Attempts, d.CreatedAt,
            d.Status == "Pending" ? d.NextAttemptAt : null, d.DeliveredAt, d.LastError,
            attempts[d.Id].Select(a => new AttemptView(a.Attempt, a.StartedAt, a.StatusCode, Math.Round(a.LatencyMs, 1), a.Error)).ToArray(),
            JsonSerializer.Deserialize<JsonElement>(d.Payload))).ToArray());
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> Redeliver(
        Guid endpointId, Guid deliveryId, WebhookStore store, WebhookOutbox outbox, CancellationToken cancellationToken)
    {
        if (!await store.RedeliverAsync(endpointId, deliveryId, cancellationToken))
        {
            return TypedResults.Problem(title: "Unknown delivery", detail: $"Endpoint {endpointId} has no delivery {deliveryId}.", statusCode: 404);
        }
        outbox.Wake();
        return TypedResults.Accepted($"/api/instructor/webhooks/{endpointId}/deliveries");
    }

    // How long a rotated-out secret keeps working: the request's hours, or the configured default; null when out of range.
    internal static TimeSpan? RotationOverlap(RotateSecretRequest? request, WebhookOptions options) => request?.OverlapHours switch
    {
        null => options.RotationOverlap,
        >= 0 and <= 168 and var hours => TimeSpan.FromHours(hours),
        _ => null,
    };

    internal static ValidationProblem InvalidOverlap() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["overlapHours"] = ["From 0 (the old secret stops working at once) to 168 hours (a week)."],
    }, title: "Invalid rotation");

    private static void CheckEventTypes(string[]? types, bool required, Dictionary<string, string[]> errors)
    {
        var known = string.Join(", ", WebhookEventTypes.All);
        if (types is null)
        {
            if (required)
            {
                errors["eventTypes"] = [$"Required: one or more of {known}."];
            }
            return;
        }
        if (types.Length == 0)
        {
            errors["eventTypes"] = [$"At least one of {known}."];
        }
        else if (types.Any(t => t is null))
        {
            errors["eventTypes"] = [$"null is not an event type; list one or more of {known}."];
        }
        else if (types.FirstOrDefault(t => !WebhookEventTypes.All.Contains(t, StringComparer.Ordinal)) is { } unknown)
        {
            errors["eventTypes"] = [$"'{unknown}' is not an event type; use {known}."];
        }
    }

    private static EndpointView ToView(EndpointRow row) => new(row.Id, row.Url, row.Description, row.EventTypes, row.DisabledAt is null,
        row.DisabledAt, row.DisabledReason, row.FailureStreak, row.FailingSince, row.PreviousSecret is null ? null : row.PreviousSecretUntil, row.CreatedAt);

    private static ProblemHttpResult Unknown(Guid id) =>
        TypedResults.Problem(title: "Unknown webhook endpoint", detail: $"There is no webhook endpoint {id}. GET /api/instructor/webhooks lists them.", statusCode: 404);
}
