using Grader.Api.Auth;
using Grader.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Users;

public sealed record UserView(Guid Id, string ExternalId, string DisplayName, string Role, DateTimeOffset CreatedAt);

public sealed record KeyView(Guid Id, Guid UserId, string Prefix, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

// The only response that ever carries a plain key.
public sealed record CreatedKeyView(Guid Id, Guid UserId, string Prefix, string Name, string Key);

public sealed record CreateUserRequest(
    [property: TextLimit(UserStore.MaxExternalId)] string? ExternalId,
    [property: TextLimit(UserStore.MaxDisplayName)] string? DisplayName,
    [property: TextLimit(20)] string? Role);

public sealed record CreateKeyRequest([property: TextLimit(UserStore.MaxKeyName)] string? Name);

public static class UserViews
{
    public static UserView ToView(this UserRow row) => new(row.Id, row.ExternalId, row.DisplayName, row.Role, row.CreatedAt);
    public static KeyView ToView(this KeyRow row) => new(row.Id, row.UserId, row.Prefix, row.Name, row.CreatedAt, row.RevokedAt);
}

public static class UserEndpoints
{
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<SignInLinkStore>();
        return builder;
    }

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", GetMe).WithTags("Users").RequireAuthorization(Policies.Student);

        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Instructor);
        group.MapGet("/", ListUsers);
        group.MapPost("/", CreateUser);
        group.MapGet("/{userId:guid}/keys", ListKeys);
        group.MapPost("/{userId:guid}/keys", CreateKey);
        group.MapDelete("/{userId:guid}/keys/{keyId:guid}", RevokeKey);
        app.MapSignIn();
        app.MapRosterPages();
        return group;
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetMe(System.Security.Claims.ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        await users.FindAsync(user.UserId(), cancellationToken) is { } row ? TypedResults.Ok(row.ToView()) : UnknownUser(user.UserId());

    public static async Task<Ok<UserView[]>> ListUsers(UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok((await users.ListAsync(cancellationToken)).Select(u => u.ToView()).ToArray());

    public static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, UserStore users, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ExternalId) || request.ExternalId.Length > 200)
        {
            errors["externalId"] = ["Give the user's id in your course system (1–200 characters)."];
        }
        if (request.Role is not (Roles.Student or Roles.Instructor))
        {
            errors["role"] = ["Role must be 'student' or 'instructor'."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var created = await users.CreateAsync(request.ExternalId!.Trim(), request.DisplayName?.Trim() ?? "", request.Role!, cancellationToken);
        return created is null
            ? TypedResults.Problem(title: "User exists", detail: $"A user with external id '{request.ExternalId}' already exists.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Created($"/api/users/{created.Id}", created.ToView());
    }

    public static async Task<Results<Ok<KeyView[]>, ProblemHttpResult>> ListKeys(Guid userId, UserStore users, CancellationToken cancellationToken) =>
        await users.FindAsync(userId, cancellationToken) is null
            ? UnknownUser(userId)
            : TypedResults.Ok((await users.ListKeysAsync(userId, cancellationToken)).Select(k => k.ToView()).ToArray());

    public static async Task<Results<Created<CreatedKeyView>, ProblemHttpResult>> CreateKey(
        Guid userId, CreateKeyRequest? request, UserStore users, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is null)
        {
            return UnknownUser(userId);
        }
        var (row, key) = await users.CreateKeyAsync(userId, request?.Name?.Trim() ?? "", cancellationToken);
        return TypedResults.Created($"/api/users/{userId}/keys/{row.Id}", new CreatedKeyView(row.Id, userId, row.Prefix, row.Name, key));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(Guid userId, Guid keyId, UserStore users, CancellationToken cancellationToken) =>
        (await users.ListKeysAsync(userId, cancellationToken)).Any(k => k.Id == keyId) && await users.RevokeKeyAsync(keyId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "Unknown key", detail: $"User {userId} has no active key {keyId}. GET /api/users/{userId}/keys lists them.", statusCode: 404);

    internal static ProblemHttpResult UnknownUser(Guid userId) =>
        TypedResults.Problem(title: "Unknown user", detail: $"There is no user {userId}. GET /api/users lists them.", statusCode: 404);
}
