using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Api.Users.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Grader.Api.Users;

public sealed record CreatedSignInLinkView(Guid Id, Guid UserId, string Url, DateTimeOffset ExpiresAt);

public sealed record ExchangeSignInLinkRequest([property: TextLimit(200)] string? Token, [property: TextLimit(UserStore.MaxKeyName)] string? KeyName);

public sealed record ExchangedSignInLinkView(string ApiKey, Guid UserId, string Role);

// Sign-in links (issued by instructors, used once in a browser or exchanged by the grader command
// for an API key), sign-in with a pasted API key, and sign-out. Browsers get an HttpOnly session cookie.
public static class SignInEndpoints
{
    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/users/{userId:guid}/sign-in-links", CreateLink).WithTags("Users").RequireAuthorization(Policies.Instructor);
        app.MapPost("/api/sign-in-links/exchange", Exchange).WithTags("Users").AllowAnonymous();

        // Form posts from the pages; antiforgery is checked because they bind form fields.
        var forms = app.MapGroup("/session").ExcludeFromDescription();
        forms.MapPost("/link", SignInWithLink).AllowAnonymous();
        forms.MapPost("/key", SignInWithKey).AllowAnonymous();
        forms.MapPost("/end", (Delegate)SignOut).RequireAuthorization(Policies.StudentPages);
    }

    public static string LinkUrl(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/sign-in/{token}";

    public static async Task<Results<Created<CreatedSignInLinkView>, ProblemHttpResult>> CreateLink(
        Guid userId, HttpRequest request, UserStore users, SignInLinkStore links, IOptions<GraderOptions> options, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is null)
        {
            return UserEndpoints.UnknownUser(userId);
        }
        var (row, token) = await links.CreateAsync(userId, cancellationToken);
        var baseUrl = options.Value.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Created($"/api/users/{userId}/sign-in-links/{row.Id}", new CreatedSignInLinkView(row.Id, userId, LinkUrl(baseUrl, token), row.ExpiresAt));
    }

    public static async Task<Results<Ok<ExchangedSignInLinkView>, ProblemHttpResult>> Exchange(
        ExchangeSignInLinkRequest request, UserStore users, SignInLinkStore links, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing token", "Send {\"token\": \"…\"}: the last part of the sign-in link, after /sign-in/.");
        }
        var keyName = string.IsNullOrWhiteSpace(request.KeyName) ? "grader cli" : request.KeyName.Trim();
        if (keyName.Length > 200)
        {
            return Problem(StatusCodes.Status400BadRequest, "Key name too long", "keyName names the new API key in your key list; keep it to 200 characters.");
        }
        var outcome = await links.ConsumeAsync(request.Token.Trim(), cancellationToken);
        if (outcome is not SignInOutcome.SignedIn { User: var user })
        {
            var (status, title, detail) = Refusal(outcome);
            return Problem(status, title, detail);
        }
        var (_, key) = await users.CreateKeyAsync(user.Id, keyName, cancellationToken);
        return TypedResults.Ok(new ExchangedSignInLinkView(key, user.Id, user.Role));
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<SignInLink>>> SignInWithLink(
        [FromForm] string token, [FromForm, TextLimit(2000)] string? returnUrl, HttpContext context, SignInLinkStore links, CancellationToken cancellationToken)
    {
        var outcome = await links.ConsumeAsync(token, cancellationToken);
        if (outcome is not SignInOutcome.SignedIn { User: var user })
        {
            var (status, _, detail) = Refusal(outcome);
            return new RazorComponentResult<SignInLink>(new { Token = token, Error = detail }) { StatusCode = status };
        }
        await StartSessionAsync(context, user);
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<SignIn>>> SignInWithKey(
        [FromForm] string? apiKey, [FromForm, TextLimit(2000)] string? returnUrl, HttpContext context, UserStore users, CancellationToken cancellationToken)
    {
        if (await users.FindByApiKeyAsync(apiKey?.Trim() ?? "", cancellationToken) is not { } user)
        {
            return new RazorComponentResult<SignIn>(new
            {
                ReturnTo = returnUrl,
                Error = "That API key is not valid: it is mistyped, incomplete or revoked. Paste the whole key (it starts with grd_), or ask your instructor for a sign-in link.",
            })
            { StatusCode = StatusCodes.Status400BadRequest };
        }
        await StartSessionAsync(context, user);
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOut(HttpContext context, IAntiforgery antiforgery)
    {
        // This form binds no field, so the antiforgery check that form binding brings is not made for us.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Problem(StatusCodes.Status400BadRequest, "Sign-out not confirmed",
                "Sign out with the Sign out button of a Grader page: the request carried no valid antiforgery token.");
        }
        await context.SignOutAsync(AuthExtensions.CookieScheme);
        return TypedResults.LocalRedirect(AuthExtensions.SignInPath);
    }

    private static Task StartSessionAsync(HttpContext context, UserRow user) =>
        context.SignInAsync(AuthExtensions.CookieScheme, user.ToPrincipal(AuthExtensions.CookieScheme), new AuthenticationProperties { IsPersistent = true });

    private static (int Status, string Title, string Detail) Refusal(SignInOutcome outcome) => outcome switch
    {
        SignInOutcome.AlreadyUsed => (StatusCodes.Status410Gone, "Sign-in link used",
            "This sign-in link has already been used: each link signs in once. Ask your instructor for a new one, or sign in with an API key."),
        SignInOutcome.Revoked => (StatusCodes.Status410Gone, "Sign-in link withdrawn",
            "Your instructor withdrew this sign-in link. Ask them for a new one, or sign in with an API key."),
        SignInOutcome.Expired => (StatusCodes.Status410Gone, "Sign-in link expired",
            "This sign-in link has expired. Ask your instructor for a new one, or sign in with an API key."),
        _ => (StatusCodes.Status400BadRequest, "Unknown sign-in link",
            "This sign-in link is not valid. Check that you copied the whole link, or ask your instructor for a new one."),
    };

    // Only a path on this site: a crafted link must not send a student elsewhere after signing in.
    private static string LocalOrHome(string? returnUrl) =>
        returnUrl is not null && (returnUrl == "/" || returnUrl is ['/', not '/' and not '\\', ..]) ? returnUrl : "/assignments";

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
