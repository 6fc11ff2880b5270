using System.Security.Claims;
using Grader.Api.Hosting;
using Grader.Api.Web;
using Grader.Api.Webhooks.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Webhooks;

// The webhook pages' forms, answered through the JSON endpoints' handlers so the rules are the same.
public static class WebhookPageEndpoints
{
    public static void MapWebhookPages(this IEndpointRouteBuilder app)
    {
        var forms = app.MapInstructorForms("/instructor/webhooks");
        forms.MapPost("/", Create);
        forms.MapPost("/{endpointId:guid}/deliveries/{deliveryId:guid}/redeliver", Redeliver);
    }

    public static async Task<RazorComponentResult<App>> Create(
        [FromForm, TextLimit(WebhookEndpoints.MaxUrl)] string? url,
        [FromForm, TextLimit(WebhookEndpoints.MaxDescription)] string? description,
        HttpContext context, ClaimsPrincipal user, WebhookStore store, DestinationGuard guard, CancellationToken cancellationToken)
    {
        // The ticked boxes: minimal APIs bind no string[] from a form, and the other fields have read it already.
        string[] eventTypes = [.. context.Request.Form["eventTypes"].OfType<string>()];
        var request = new CreateEndpointRequest(url?.Trim(), eventTypes, description?.Trim());
        var errors = ClientInput.Validate(request);
        var result = errors.Count > 0 ? null : await WebhookEndpoints.Create(request, user, store, guard, cancellationToken);
        if (result?.Result is Created<EndpointSecretView> { Value: { } created })
        {
            context.NoStore();
            return PageResult.Of<WebhookList>(new { Created = created });
        }
        if (result?.Result is ValidationProblem problem)
        {
            errors = new Dictionary<string, string[]>(problem.ProblemDetails.Errors, StringComparer.Ordinal);
        }
        return PageResult.Of<WebhookList>(new { Errors = (IDictionary<string, string[]>)errors, Url = url, EventTypes = eventTypes, Description = description }, StatusCodes.Status400BadRequest);
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Redeliver(
        Guid endpointId, Guid deliveryId, WebhookStore store, WebhookOutbox outbox, CancellationToken cancellationToken) =>
        (await WebhookEndpoints.Redeliver(endpointId, deliveryId, store, outbox, cancellationToken)).Result is ProblemHttpResult problem
            ? problem
            : TypedResults.LocalRedirect($"/instructor/webhooks/{endpointId}?redelivered=true");
}
