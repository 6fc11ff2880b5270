using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Grader.Api.Users;
using Microsoft.Extensions.Options;

namespace Grader.Api.Auth;

public static class Roles
{
    public const string Student = "student";
    public const string Instructor = "instructor";
}

public static class Policies
{
    public const string Student = "student";
    public const string Instructor = "instructor";
    // The web pages authenticate with the session cookie only: the JSON API never accepts it, so a
    // cross-site request cannot ride on a student's session there.
    public const string StudentPages = "student-pages";
    public const string InstructorPages = "instructor-pages";
}

public static class AuthExtensions
{
    public const string Scheme = "ApiKey";
    public const string CookieScheme = "Session";
    public const string SignInPath = "/sign-in";

    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "grader_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.LogoutPath = "/sign-out";
                o.AccessDeniedPath = SignInPath;
            });
        builder.Services.AddAuthorizationBuilder()
            // Instructors may submit too, to try their own assignments.
            .AddPolicy(Policies.Student, p => p.RequireRole(Roles.Student, Roles.Instructor))
            .AddPolicy(Policies.Instructor, p => p.RequireRole(Roles.Instructor))
            .AddPolicy(Policies.StudentPages, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(Roles.Student, Roles.Instructor))
            .AddPolicy(Policies.InstructorPages, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(Roles.Instructor));
        return builder;
    }

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not authenticated."));

    public static bool IsInstructor(this ClaimsPrincipal user) => user.IsInRole(Roles.Instructor);

    // The same claims whether the user came with an API key or a web session.
    public static ClaimsPrincipal ToPrincipal(this UserRow user, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(ClaimTypes.Name, user.ExternalId),
        ], scheme));
}

// Authenticates Authorization: Bearer grd_… against the hashed keys.
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserStore users,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var key = header["Bearer ".Length..].Trim();
        if (!ApiKeys.TryParsePrefix(key, out _))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }
        if (await users.FindByApiKeyAsync(key, Context.RequestAborted).ConfigureAwait(false) is not { } user)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var principal = user.ToPrincipal(AuthExtensions.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, AuthExtensions.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Title = "Authentication required",
                Detail = "Send your API key as 'Authorization: Bearer grd_…'. Ask your instructor for a key if you have none, or a new one if yours was revoked.",
            },
        }).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Title = "Forbidden", Detail = "Your key does not allow this: it needs an instructor's key." },
        }).ConfigureAwait(false);
    }
}
