using System.Security.Claims;
using Grader.Api.Hosting;
using Grader.Api.Lms.Pages;
using Grader.Api.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Lms;

// The LMS page's forms, answered through the JSON endpoints' handlers.
public static class LmsPageEndpoints
{
    public static void MapLmsPages(this IEndpointRouteBuilder app)
    {
        var forms = app.MapInstructorForms("/instructor/lms");
        forms.MapPost("/", Create);
        forms.MapPost("/{integrationId:guid}/revoke", Revoke);
    }

    public static async Task<RazorComponentResult<App>> Create(
        [FromForm, TextLimit(200)] string? name, HttpContext context, ClaimsPrincipal user, LmsIntegrationStore store, CancellationToken cancellationToken)
    {
        var result = await LmsEndpoints.Create(new CreateIntegrationRequest(name), user, store, cancellationToken);
        if (result.Result is Created<IntegrationSecretView> { Value: { } created })
        {
            context.NoStore();
            return PageResult.Of<LmsIntegrations>(new { Created = created });
        }
        var problem = (ValidationProblem)result.Result;
        return PageResult.Of<LmsIntegrations>(new { Error = string.Join(" ", problem.ProblemDetails.Errors.SelectMany(e => e.Value)), Name = name }, StatusCodes.Status400BadRequest);
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Revoke(Guid integrationId, LmsIntegrationStore store, CancellationToken cancellationToken) =>
        (await LmsEndpoints.Revoke(integrationId, store, cancellationToken)).Result is ProblemHttpResult problem
            ? problem
            : TypedResults.LocalRedirect("/instructor/lms");
}
