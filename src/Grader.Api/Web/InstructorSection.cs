using Grader.Api.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Grader.Api.Web;

public sealed record InstructorLink(string Title, string Href, string Description);

// The instructor's part of the site: its navigation and the form posts of its pages.
public static class InstructorSection
{
    public const string Root = "/instructor";

    // The instructor nav, in this order. A new instructor page adds its one line here.
    public static readonly IReadOnlyList<InstructorLink> Links =
    [
        new("Manage assignments", "/instructor/assignments", "Upload and validate packages, publish them, and each assignment's settings."),
        new("Roster", "/instructor/roster", "Students, roster import, sign-in links and API keys."),
        new("Gradebook", "/instructor/gradebook", "Each assignment's grades, every student's submissions and reports, CSV export."),
        new("Statistics", "/instructor/statistics", "Each assignment's cohort as plots: scores, pass rate per case, submissions over time; regrades with their progress."),
        new("Webhooks", "/instructor/webhooks", "Endpoints that receive grade events, their deliveries and every attempt."),
        new("LMS", "/instructor/lms", "Integrations that submit on a student's behalf."),
        new("LTI", "/instructor/lti", "LMS platforms registered for LTI 1.3: launch, deep linking, grade passback and roster; the tool's keys and URLs."),
        new("Queue", Submissions.QueueDashboard.Path, "The grading queue's dashboard: waiting, running and failed jobs."),
    ];

    // The link whose section holds this path, for aria-current.
    // An assignment's statistics and regrades sit under its address but belong to Statistics.
    public static InstructorLink? Current(string path) =>
        path.StartsWith("/instructor/assignments/", StringComparison.OrdinalIgnoreCase)
            && (path.EndsWith("/statistics", StringComparison.OrdinalIgnoreCase) || path.Contains("/regrades", StringComparison.OrdinalIgnoreCase))
            ? Links.Single(l => l.Href == "/instructor/statistics")
            : Links.Where(l => path.Equals(l.Href, StringComparison.OrdinalIgnoreCase) || path.StartsWith(l.Href + "/", StringComparison.OrdinalIgnoreCase))
            .MaxBy(l => l.Href.Length);

    // Form posts of instructor pages: the session cookie of an instructor, and a valid antiforgery
    // token even when the form binds no field (form binding checks it only when it binds one).
    public static RouteGroupBuilder MapInstructorForms(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix).RequireAuthorization(Policies.InstructorPages).ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Form not confirmed",
                    detail: "Use the forms of a Grader page: the request carried no valid antiforgery token. Reload the page and send the form again.");
            }
            return await next(context);
        });
        return group;
    }

    // A page that shows a secret once must not be kept by the browser or a proxy.
    public static void NoStore(this HttpContext context) => context.Response.Headers.CacheControl = "no-store";
}
