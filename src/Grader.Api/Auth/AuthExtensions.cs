using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

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
}

public static class AuthExtensions
{
    public const string Scheme = "ApiKey";

    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            // Instructors may submit too, to try their own assignments.
            .AddPolicy(Policies.Student, p => p.RequireRole(Roles.Student, Roles.Instructor))
            .AddPolicy(Policies.Instructor, p => p.RequireRole(Roles.Instructor));
        return builder;
    }

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not authenticated."));

    public static bool IsInstructor(this ClaimsPrincipal user) => user.IsInRole(Roles.Instructor);
}

// Authenticates Authorization: Bearer grd_… against the hashed keys.
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
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
        if (!ApiKeys.TryParsePrefix(key, out var prefix))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        await using var command = dataSource.CreateCommand(
            """
            SELECT k.key_hash, u.id, u.role, u.external_id
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.prefix = $1 AND k.revoked_at IS NULL
            """);
        command.Parameters.Add(new() { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(Context.RequestAborted).ConfigureAwait(false);
        if (!await reader.ReadAsync(Context.RequestAborted).ConfigureAwait(false)
            || !CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(0), ApiKeys.Hash(key)))
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, reader.GetGuid(1).ToString()),
                new Claim(ClaimTypes.Role, reader.GetString(2)),
                new Claim(ClaimTypes.Name, reader.GetString(3)),
            ], AuthExtensions.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthExtensions.Scheme));
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
