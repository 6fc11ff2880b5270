using System.Globalization;
using Grader.Api.Assignments.Pages;
using Grader.Api.Auth;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Web;
using Grader.Api.Webhooks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Grader.Api.Assignments;

// The instructor pages' forms: each calls the JSON endpoint's handler and either redirects to the
// page that shows the outcome or renders the form's page again with the handler's problem.
public static class AssignmentPageEndpoints
{
    public static void MapAssignmentPages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/instructor/assignments").RequireAuthorization(Policies.InstructorPages).ExcludeFromDescription();
        group.MapPost("/upload", UploadForm).WithMetadata(new RequestSizeLimitAttribute(Core.Assignments.AssignmentPackage.MaxPackageBytes));
        group.MapPost("/{assignmentId}/publish", PublishForm);
        group.MapPost("/{assignmentId}/unpublish", UnpublishForm);
        group.MapPost("/{assignmentId}/settings", SettingsForm);
    }

    // The form's file inputs (a zip, or a chosen folder's files) are read by the upload handler
    // itself; binding them here is what makes the endpoint check the antiforgery token.
    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> UploadForm(
        HttpRequest request, IFormFileCollection files, [FromForm, TextLimit(10)] string? publish,
        AssignmentStore assignments, ValidationQueue queue, ILogger<ValidationQueue> logger, CancellationToken cancellationToken)
    {
        var result = await PackageEndpoints.Upload(request, publish == "true", assignments, queue, logger, cancellationToken);
        var uploaded = result.Result switch
        {
            Created<UploadedView> created => created.Value,
            Ok<UploadedView> ok => ok.Value,
            _ => null,
        };
        if (uploaded is not null)
        {
            return TypedResults.LocalRedirect($"/instructor/assignments/{Uri.EscapeDataString(uploaded.AssignmentId)}?uploaded={uploaded.Version}");
        }
        var problem = ((ProblemHttpResult)result.Result).ProblemDetails;
        var details = problem.Extensions.TryGetValue("problems", out var listed) && listed is IEnumerable<PackageProblemView> items
            ? items.Select(p => p.Text).ToList()
            : [];
        return PageResult.WithParameters<InstructorAssignmentList>(new Dictionary<string, object?>
        {
            [nameof(InstructorAssignmentList.Error)] = problem.Detail ?? "",
            [nameof(InstructorAssignmentList.ErrorDetails)] = details,
        }, problem.Status);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> PublishForm(
        string assignmentId, [FromForm] int? version, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        var result = await PackageEndpoints.Publish(assignmentId, version, assignments, cancellationToken);
        if (result.Result is Ok<InstructorAssignmentView> ok)
        {
            return TypedResults.LocalRedirect($"/instructor/assignments/{Uri.EscapeDataString(assignmentId)}?published={ok.Value!.CurrentVersion}");
        }
        return Refused(assignmentId, ((ProblemHttpResult)result.Result).ProblemDetails);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> UnpublishForm(
        string assignmentId, HttpContext context, IAntiforgery antiforgery, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        // This form binds no field, so the antiforgery check that form binding brings is not made for us.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(assignmentId, new ProblemDetails { Status = 400, Detail = "Unpublish with the page's Unpublish button: the request carried no valid antiforgery token." });
        }
        var result = await PackageEndpoints.Unpublish(assignmentId, assignments, cancellationToken);
        return result.Result is Ok<InstructorAssignmentView>
            ? TypedResults.LocalRedirect($"/instructor/assignments/{Uri.EscapeDataString(assignmentId)}?unpublished=1")
            : Refused(assignmentId, ((ProblemHttpResult)result.Result).ProblemDetails);
    }

    private static RazorComponentResult<App> Refused(string assignmentId, ProblemDetails problem)
    {
        var details = problem.Extensions.TryGetValue("problems", out var listed) && listed is IEnumerable<string> items ? items.ToList() : [];
        return PageResult.WithParameters<InstructorAssignmentPage>(new Dictionary<string, object?>
        {
            [nameof(InstructorAssignmentPage.AssignmentId)] = assignmentId,
            [nameof(InstructorAssignmentPage.Error)] = problem.Detail ?? "",
            [nameof(InstructorAssignmentPage.ErrorDetails)] = details,
        }, problem.Status);
    }

    // Dates come from datetime-local inputs, read as UTC (the page says so); everything else is
    // checked by the JSON endpoint's handler, so the page shows the API's own messages.
    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> SettingsForm(
        string assignmentId,
        [FromForm, TextLimit(40)] string? opensAt,
        [FromForm, TextLimit(40)] string? dueAt,
        [FromForm, TextLimit(40)] string? hardCutoffAt,
        [FromForm, TextLimit(40)] string? latePenaltyPerDay,
        [FromForm, TextLimit(40)] string? maxSubmissions,
        [FromForm, TextLimit(10)] string? scorePolicy,
        [FromForm, TextLimit(10)] string? revealAfterDue,
        AssignmentStore assignments, GradeBook grades, NpgsqlDataSource dataSource, WebhookOutbox webhooks, CancellationToken cancellationToken)
    {
        var form = new SettingsFormValues(opensAt, dueAt, hardCutoffAt, latePenaltyPerDay, maxSubmissions, scorePolicy, revealAfterDue == "true");
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = new SettingsRequest(
            Date(opensAt, "opensAt", errors), Date(dueAt, "dueAt", errors), Number(latePenaltyPerDay, "latePenaltyPerDay", errors),
            Date(hardCutoffAt, "hardCutoffAt", errors), Whole(maxSubmissions, "maxSubmissions", errors),
            string.IsNullOrWhiteSpace(scorePolicy) ? null : scorePolicy, form.RevealAfterDue);
        if (errors.Count == 0)
        {
            var result = await SettingsEndpoints.UpdateSettings(assignmentId, request, assignments, grades, dataSource, webhooks, cancellationToken);
            switch (result.Result)
            {
                case Ok<InstructorAssignmentView>:
                    return TypedResults.LocalRedirect($"/instructor/assignments/{Uri.EscapeDataString(assignmentId)}/settings?saved=1");
                case ValidationProblem invalid:
                    errors = invalid.ProblemDetails.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
                    break;
                case ProblemHttpResult problem:
                    return PageResult.WithParameters<AssignmentSettingsPage>(new Dictionary<string, object?>
                    {
                        [nameof(AssignmentSettingsPage.AssignmentId)] = assignmentId,
                        [nameof(AssignmentSettingsPage.Error)] = problem.ProblemDetails.Detail ?? "",
                    }, problem.StatusCode);
            }
        }
        return PageResult.WithParameters<AssignmentSettingsPage>(new Dictionary<string, object?>
        {
            [nameof(AssignmentSettingsPage.AssignmentId)] = assignmentId,
            [nameof(AssignmentSettingsPage.Posted)] = form,
            [nameof(AssignmentSettingsPage.Errors)] = errors,
        }, StatusCodes.Status400BadRequest);
    }

    private static DateTimeOffset? Date(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc))
        {
            return new DateTimeOffset(utc, TimeSpan.Zero);
        }
        errors[field] = ["A date and time like 2026-03-01T23:59 (UTC), or empty."];
        return null;
    }

    private static double? Number(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors[field] = ["A number such as 0.1, or empty for no penalty."];
        return null;
    }

    private static int? Whole(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors[field] = ["A whole number of submissions, or empty for no limit."];
        return null;
    }
}

// What the settings form sent, shown again beside the messages when it is refused.
public sealed record SettingsFormValues(
    string? OpensAt, string? DueAt, string? HardCutoffAt, string? LatePenaltyPerDay, string? MaxSubmissions, string? ScorePolicy, bool RevealAfterDue);
