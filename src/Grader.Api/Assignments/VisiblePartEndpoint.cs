using Grader.Api.Submissions;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Assignments;

/// <summary>
/// The part of a published package a student may take home for `grader fetch` and `grader test`:
/// statement, starter and the visible cases with their expected outcomes (from the stored
/// reference outputs, computed once in the sandbox when missing). Hidden and after-due cases,
/// the reference, fixtures and data files are never in it.
/// </summary>
public static class VisiblePartEndpoint
{
    public static RouteHandlerBuilder MapVisiblePart(this RouteGroupBuilder assignments) =>
        assignments.MapGet("/{assignmentId}/visible", Get)
            .WithDescription("The statement, starter and visible cases with their expected outcomes, for grading locally with `grader test`.");

    public static async Task<Results<Ok<VisiblePart>, ProblemHttpResult>> Get(
        string assignmentId, AssignmentStore assignments, PackageCache packages, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { Published: true, CurrentVersion: { } version })
        {
            return TypedResults.Problem(title: "Unknown assignment", detail: $"There is no published assignment '{assignmentId}'. GET /api/assignments lists them.",
                statusCode: StatusCodes.Status404NotFound);
        }
        try
        {
            var loaded = await packages.GetAsync(assignmentId, version, cancellationToken);
            return TypedResults.Ok(VisiblePart.From(loaded.Package, version, loaded.Expected));
        }
        catch (ReferenceSolutionException)
        {
            return TypedResults.Problem(title: "Expected values unavailable",
                detail: $"The reference solution of '{assignmentId}' fails, so its expected values cannot be computed. Tell your instructor; `grader fetch` works again once the package is fixed.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
