using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Api.Users.Pages;
using Grader.Api.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Grader.Api.Users;

// The roster page's forms. Each answers with a redirect back to the page, or with the page itself
// when it has something to show once (a sign-in link, an API key) or something to fix.
public static class RosterPageEndpoints
{
    public static void MapRosterPages(this IEndpointRouteBuilder app)
    {
        var forms = app.MapInstructorForms("/instructor/roster");
        forms.MapPost("/students", AddStudent);
        forms.MapPost("/import", Import).WithMetadata(new RequestSizeLimitAttribute(RosterCsv.MaxBytes + 64 * 1024));
        forms.MapPost("/{userId:guid}/sign-in-links", IssueLink);
        forms.MapPost("/{userId:guid}/sign-in-links/{linkId:guid}/revoke", RevokeLink);
        forms.MapPost("/{userId:guid}/keys", IssueKey);
        forms.MapPost("/{userId:guid}/keys/{keyId:guid}/revoke", RevokeKey);
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> AddStudent(
        [FromForm, TextLimit(UserStore.MaxExternalId)] string? externalId,
        [FromForm, TextLimit(UserStore.MaxDisplayName)] string? displayName,
        [FromForm, TextLimit(UserStore.MaxEmail)] string? email,
        UserStore users, CancellationToken cancellationToken)
    {
        var entry = new RosterEntry(externalId?.Trim() ?? "", displayName?.Trim() ?? "", email?.Trim() ?? "");
        var problems = RosterCsv.Check(entry);
        if (problems.Count == 0 && await users.CreateAsync(entry.ExternalId, entry.DisplayName, Roles.Student, entry.Email, cancellationToken) is null)
        {
            problems.Add($"A user with the external id '{entry.ExternalId}' is already on the roster (or is an instructor).");
        }
        if (problems.Count > 0)
        {
            return PageResult.Of<Roster>(new { AddError = string.Join(" ", problems), entry.ExternalId, entry.DisplayName, entry.Email }, StatusCodes.Status400BadRequest);
        }
        return TypedResults.LocalRedirect("/instructor/roster?added=1");
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> Import(
        IFormFile? roster, UserStore users, CancellationToken cancellationToken)
    {
        if (roster is null || roster.Length == 0)
        {
            return Refused(null, [new RosterLineError(0, "Choose a CSV file: one student per line, external_id,name,email.")]);
        }
        if (roster.Length > RosterCsv.MaxBytes)
        {
            return Refused(roster.FileName, [new RosterLineError(0, $"The file is {roster.Length:N0} bytes; a roster file is at most {RosterCsv.MaxBytes:N0} bytes. Split it and import each part.")]);
        }
        using var buffer = new MemoryStream();
        await roster.CopyToAsync(buffer, cancellationToken);
        var file = RosterCsv.Parse(buffer.ToArray());
        var errors = file.Errors.ToList();
        if (errors.Count == 0)
        {
            var instructors = (await users.FindInstructorsAsync(file.Entries.Select(e => e.ExternalId).ToArray(), cancellationToken)).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(file.Entries.Where(e => instructors.Contains(e.ExternalId)).Select(e =>
                new RosterLineError(file.LineOf[e.ExternalId], $"'{e.ExternalId}' is an instructor's id; a roster lists students only. Remove the line.")));
        }
        if (errors.Count > 0)
        {
            return Refused(roster.FileName, errors);
        }
        var imported = await users.ImportAsync(file.Entries, cancellationToken);
        return TypedResults.LocalRedirect($"/instructor/roster?added={imported.Added}&updated={imported.Updated}&unchanged={imported.Unchanged}");
    }

    public static async Task<Results<RazorComponentResult<App>, ProblemHttpResult>> IssueLink(
        Guid userId, HttpContext context, UserStore users, SignInLinkStore links, IOptions<GraderOptions> options, CancellationToken cancellationToken)
    {
        var created = await SignInEndpoints.CreateLink(userId, context.Request, users, links, options, cancellationToken);
        if (created.Result is not Created<CreatedSignInLinkView> { Value: { } link })
        {
            return (ProblemHttpResult)created.Result;
        }
        context.NoStore();
        return PageResult.Of<RosterStudent>(new { UserId = userId, IssuedLink = link.Url, IssuedExpires = (DateTimeOffset?)link.ExpiresAt });
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> RevokeLink(
        Guid userId, Guid linkId, SignInLinkStore links, CancellationToken cancellationToken) =>
        await links.RevokeAsync(userId, linkId, cancellationToken)
            ? TypedResults.LocalRedirect($"/instructor/roster/{userId}")
            : PageResult.Of<RosterStudent>(new { UserId = userId, Error = "That sign-in link is no longer open: it was used or withdrawn already." }, StatusCodes.Status409Conflict);

    public static async Task<Results<RazorComponentResult<App>, ProblemHttpResult>> IssueKey(
        Guid userId, [FromForm, TextLimit(UserStore.MaxKeyName)] string? name, HttpContext context, UserStore users, CancellationToken cancellationToken)
    {
        var created = await UserEndpoints.CreateKey(userId, new CreateKeyRequest(string.IsNullOrWhiteSpace(name) ? "issued from the roster" : name), users, cancellationToken);
        if (created.Result is not Created<CreatedKeyView> { Value: { } key })
        {
            return (ProblemHttpResult)created.Result;
        }
        context.NoStore();
        return PageResult.Of<RosterStudent>(new { UserId = userId, IssuedKey = key.Key });
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<App>>> RevokeKey(
        Guid userId, Guid keyId, UserStore users, CancellationToken cancellationToken) =>
        (await UserEndpoints.RevokeKey(userId, keyId, users, cancellationToken)).Result is NoContent
            ? TypedResults.LocalRedirect($"/instructor/roster/{userId}")
            : PageResult.Of<RosterStudent>(new { UserId = userId, Error = "That API key is not one of this student's." }, StatusCodes.Status404NotFound);

    private static RazorComponentResult<App> Refused(string? fileName, IReadOnlyList<RosterLineError> errors) =>
        PageResult.Of<Roster>(new { ImportErrors = errors, ImportFile = fileName }, StatusCodes.Status400BadRequest);
}
