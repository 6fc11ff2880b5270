using System.Security.Claims;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Hosting;
using Grader.Api.Lti.Pages;
using Grader.Api.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Grader.Api.Lti;

public sealed record RegisterPlatformRequest(
    [property: TextLimit(200)] string? Name,
    [property: TextLimit(2000)] string? Issuer,
    [property: TextLimit(200)] string? ClientId,
    [property: TextLimit(200)] string?[]? DeploymentIds,
    [property: TextLimit(2000)] string? AuthUrl,
    [property: TextLimit(2000)] string? TokenUrl,
    [property: TextLimit(2000)] string? JwksUrl);

public sealed record PlatformView(Guid Id, string Name, string Issuer, string ClientId, string[] DeploymentIds, string AuthUrl, string TokenUrl, string JwksUrl, DateTimeOffset CreatedAt);

// What an LMS administrator pastes into the LMS.
public sealed record ToolConfigView(string Title, string LoginUrl, string RedirectUrl, string TargetLinkUrl, string DeepLinkingUrl, string JwksUrl, string Domain, string[] Scopes);

public sealed record RotatedKeyView(string Kid);

public sealed record LinkView(Guid Id, Guid PlatformId, string DeploymentId, string ContextId, string ResourceLinkId, string AssignmentId,
    string? LineItemUrl, bool CanPostScores, bool CanSyncRoster, DateTimeOffset UpdatedAt);

public sealed record RosterSyncView(Guid LinkId, int Members, int Students, int Instructors);

// LTI 1.3 Advantage, tool side: registration of platforms, the OIDC login and launch, Deep
// Linking, and the pieces AGS (scores, ScoreDispatcher) and NRPS (roster sync) need.
public static class LtiEndpoints
{
    public const string StateCookie = "grader_lti_state";
    public const int MaxIdTokenLength = 64 * 1024;
    private const string DeepLinkPurpose = "Grader.Lti.DeepLink";

    public static IHostApplicationBuilder AddLti(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<LtiOptions>("Lti");
        builder.Services.AddSingleton<LtiStore>();
        builder.Services.AddSingleton<ToolKeys>();
        builder.Services.AddSingleton<PlatformHttp>();
        builder.Services.AddSingleton<PlatformKeys>();
        builder.Services.AddSingleton<PlatformTokens>();
        builder.Services.AddSingleton<PlatformServices>();
        builder.Services.AddSingleton<LaunchValidator>();
        builder.Services.AddSingleton<ScoreOutbox>();
        if (builder.AddValidatedOptions<GraderOptions>("Grader").IsWorker)
        {
            builder.Services.AddHostedService<ScoreDispatcher>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapLti(this IEndpointRouteBuilder app)
    {
        // The platform's browser posts here from another site: the login's state (in a cookie and
        // in the form) protects them instead of antiforgery, which these handlers do not bind.
        var lti = app.MapGroup("/lti").WithTags("LTI").AllowAnonymous().ExcludeFromDescription();
        lti.MapMethods("/login", ["GET", "POST"], Login);
        lti.MapPost("/launch", Launch);
        lti.MapGet("/jwks", Jwks);
        lti.MapGet("/config", Config);
        lti.MapGet("/assignments/{assignmentId}", (string assignmentId) => TypedResults.LocalRedirect($"/assignments/{Uri.EscapeDataString(assignmentId)}"));
        // The picker's own form: same site, session cookie and antiforgery (it binds form fields).
        app.MapPost("/lti/deep-link", DeepLinkChoose).RequireAuthorization(Policies.InstructorPages).ExcludeFromDescription();
        app.MapPost("/instructor/lti/platforms", RegisterFromPage).RequireAuthorization(Policies.InstructorPages).ExcludeFromDescription();

        var instructor = app.MapGroup("/api/instructor/lti").WithTags("LTI").RequireAuthorization(Policies.Instructor);
        instructor.MapGet("/platforms", ListPlatforms);
        instructor.MapPost("/platforms", Register);
        instructor.MapDelete("/platforms/{platformId:guid}", DeletePlatform);
        instructor.MapGet("/tool", (HttpRequest request, IOptions<GraderOptions> options) => TypedResults.Ok(ToolConfig(request, options.Value)));
        instructor.MapPost("/keys/rotate", RotateKey);
        instructor.MapGet("/links", ListLinks);
        instructor.MapPost("/links/{linkId:guid}/roster-sync", SyncRoster);
        instructor.MapGet("/scores", ListScores);
        return app;
    }

    public static string BaseUrl(HttpRequest request, GraderOptions options) =>
        (options.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    public static ToolConfigView ToolConfig(HttpRequest request, GraderOptions options)
    {
        var root = BaseUrl(request, options);
        return new ToolConfigView("Grader", root + "/lti/login", root + "/lti/launch", root + "/lti/launch", root + "/lti/launch", root + "/lti/jwks",
            new Uri(root).Authority, [LtiScopes.LineItem, LtiScopes.Score, LtiScopes.Memberships]);
    }

    public static string TargetLink(string baseUrl, string assignmentId) => $"{baseUrl}/lti/assignments/{Uri.EscapeDataString(assignmentId)}";

    // Step 1 of the OIDC third-party login: remember a state and nonce, send the browser to the platform.
    public static async Task<Results<RedirectHttpResult, RazorComponentResult<LtiError>>> Login(
        HttpContext context, LtiStore store, IOptions<LtiOptions> options, IOptions<GraderOptions> grader, CancellationToken cancellationToken)
    {
        var request = context.Request;
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> fields = request.Query;
        if (request.HasFormContentType)
        {
            if (await ReadFormAsync(request, cancellationToken) is not { } posted)
            {
                return UnreadableForm();
            }
            fields = posted;
        }
        var values = fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string? Field(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        foreach (var (name, value) in values)
        {
            if (ClientInput.Check(value, 2000) is { } problem)
            {
                return Error(StatusCodes.Status400BadRequest, "Malformed login request", $"{name}: {problem}");
            }
        }
        if (Field("iss") is not { } issuer || Field("login_hint") is not { } loginHint || Field("target_link_uri") is not { } target)
        {
            return Error(StatusCodes.Status400BadRequest, "Incomplete login request",
                "A login initiation needs iss, login_hint and target_link_uri. Start the tool from the LMS, not from a bookmark.");
        }
        var platforms = await store.FindPlatformsAsync(issuer, Field("client_id"), cancellationToken);
        if (platforms.Count != 1)
        {
            return Error(StatusCodes.Status400BadRequest, platforms.Count == 0 ? "Unknown platform" : "Ambiguous platform",
                platforms.Count == 0
                    ? $"No platform with issuer '{issuer}'{(Field("client_id") is { } c ? $" and client id '{c}'" : "")} is registered in Grader. An instructor registers it on the LTI page."
                    : $"Several registrations share issuer '{issuer}' and the platform sent no client_id; configure the LMS to send client_id.");
        }
        var platform = platforms[0];
        if (Field("lti_deployment_id") is { } deployment && !platform.DeploymentIds.Contains(deployment, StringComparer.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "Unknown deployment",
                $"Deployment '{deployment}' is not registered for this platform. An instructor adds it to the platform's deployment ids in Grader.");
        }
        var login = await store.CreateLoginAsync(platform.Id, options.Value.LoginLifetime, cancellationToken);
        // Read back on the platform's cross-site form post, inside the LMS's frame too: SameSite=None needs Secure.
        context.Response.Cookies.Append(StateCookie, login.State, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.None,
            Path = "/lti",
            MaxAge = options.Value.LoginLifetime,
            IsEssential = true,
        });
        var query = new Dictionary<string, string?>
        {
            ["scope"] = "openid",
            ["response_type"] = "id_token",
            ["response_mode"] = "form_post",
            ["prompt"] = "none",
            ["client_id"] = platform.ClientId,
            ["redirect_uri"] = BaseUrl(request, grader.Value) + "/lti/launch",
            ["login_hint"] = loginHint,
            ["state"] = login.State,
            ["nonce"] = login.Nonce,
        };
        if (Field("lti_message_hint") is { } hint)
        {
            query["lti_message_hint"] = hint;
        }
        return TypedResults.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(platform.AuthUrl, query));
    }

    // Step 3: the platform's browser posts the id_token. Everything is checked before anything is stored.
    public static async Task<Results<RedirectHttpResult, RazorComponentResult<LtiError>, RazorComponentResult<DeepLinkPicker>>> Launch(
        HttpContext context, LtiStore store, LaunchValidator validator, AssignmentStore assignments, IDataProtectionProvider protection,
        IOptions<GraderOptions> grader, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "Not a launch", "A launch is the platform's form post of an id_token and a state. Start the tool from the LMS.");
        }
        if (await ReadFormAsync(request, cancellationToken) is not { } form)
        {
            return UnreadableForm();
        }
        if (form["error"].ToString() is { Length: > 0 } platformError)
        {
            var description = form["error_description"].ToString();
            return Error(StatusCodes.Status400BadRequest, "The platform refused the login",
                $"The LMS answered '{Limit(platformError)}'{(description.Length > 0 ? $": {Limit(description)}" : "")}. Sign in to the LMS and launch the tool again.");
        }
        var idToken = form["id_token"].ToString();
        var state = form["state"].ToString();
        if (idToken.Length == 0 || state.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "Incomplete launch", "The launch must carry id_token and state. Start the tool from the LMS.");
        }
        if (ClientInput.Check(idToken, MaxIdTokenLength) is not null || ClientInput.Check(state, 200) is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "Malformed launch", "The id_token or the state is too long or not plain text.");
        }
        var cookie = request.Cookies[StateCookie];
        context.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/lti", Secure = true, SameSite = SameSiteMode.None });
        if (cookie is null)
        {
            return Error(StatusCodes.Status400BadRequest, "Login cookie missing",
                "The cookie set when the login started did not come back: the browser blocks third-party cookies. Open the tool in a new window (set the LMS link to open in a new tab).");
        }
        if (!string.Equals(cookie, state, StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "State does not match",
                "The launch's state is not the one this browser's login started with. Launch the tool again from the LMS.");
        }
        if (await store.ConsumeLoginAsync(state, cancellationToken) is not { } login
            || await store.GetPlatformAsync(login.PlatformId, cancellationToken) is not { } platform)
        {
            return Error(StatusCodes.Status400BadRequest, "Login expired or used",
                "This login has expired or was used already: each one launches once, within minutes. Launch the tool again from the LMS.");
        }
        var (launch, refusal) = await validator.ValidateAsync(idToken, platform, login, cancellationToken);
        if (launch is null)
        {
            return Error(refusal!.Status, refusal.Title, refusal.Detail);
        }
        return launch.MessageType == LtiClaims.DeepLinkingRequest
            ? await DeepLinkAsync(context, launch, store, assignments, protection, cancellationToken)
            : await ResourceLinkAsync(context, launch, store, assignments, cancellationToken);
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<LtiError>, RazorComponentResult<DeepLinkPicker>>> ResourceLinkAsync(
        HttpContext context, ValidLaunch launch, LtiStore store, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        if (launch.Claim(LtiClaims.ResourceLink) is not { } resourceLink || ValidLaunch.Text(resourceLink, "id") is not { Length: > 0 } resourceLinkId)
        {
            return Error(StatusCodes.Status400BadRequest, "Missing claim", $"A resource link launch needs {LtiClaims.ResourceLink} with an id.");
        }
        var teaches = LtiRoles.Teaches(launch.Roles);
        var assignmentId = (launch.Claim(LtiClaims.Custom) is { } custom ? ValidLaunch.Text(custom, "assignment") : null)
            ?? AssignmentFromTarget(ValidLaunch.Text(launch.Claims, LtiClaims.TargetLinkUri));
        if (assignmentId is null)
        {
            return Error(StatusCodes.Status400BadRequest, "No assignment in the link",
                "This LMS link names no Grader assignment. An instructor adds it again through the LMS's content picker (Deep Linking), or sets the custom parameter assignment=<id>.");
        }
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { } assignment || (!assignment.Published && !teaches))
        {
            return Error(StatusCodes.Status404NotFound, "Assignment not found", $"There is no published assignment '{assignmentId}'. Ask your instructor to publish it.");
        }
        var user = await store.EnsureUserAsync(launch.Platform, launch.Sub, launch.Name ?? "", teaches ? Roles.Instructor : Roles.Student, cancellationToken);
        var ags = launch.Claim(LtiClaims.AgsEndpoint);
        var nrps = launch.Claim(LtiClaims.NamesRoleService);
        var scopes = ags is { } a && a.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
            : [];
        var contextId = launch.Claim(LtiClaims.Context) is { } ctx ? ValidLaunch.Text(ctx, "id") ?? "" : "";
        await store.RecordLaunchAsync(launch.Platform, new LaunchedLink(launch.DeploymentId, contextId, resourceLinkId, assignment.Id,
            ags is { } l1 ? ValidLaunch.Text(l1, "lineitems") : null, ags is { } l2 ? ValidLaunch.Text(l2, "lineitem") : null,
            nrps is { } n ? ValidLaunch.Text(n, "context_memberships_url") : null, scopes), user.Id, launch.Roles, cancellationToken);
        await SignInAsync(context, user);
        return TypedResults.Redirect($"/assignments/{Uri.EscapeDataString(assignment.Id)}");
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<LtiError>, RazorComponentResult<DeepLinkPicker>>> DeepLinkAsync(
        HttpContext context, ValidLaunch launch, LtiStore store, AssignmentStore assignments, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        if (!LtiRoles.Teaches(launch.Roles))
        {
            return Error(StatusCodes.Status403Forbidden, "Instructors only", "Only an instructor of the course can add Grader assignments to it.");
        }
        if (launch.Claim(LtiClaims.DeepLinkingSettings) is not { } settings || ValidLaunch.Text(settings, "deep_link_return_url") is not { Length: > 0 } returnUrl
            || !Uri.TryCreate(returnUrl, UriKind.Absolute, out var returnUri) || returnUri.Scheme is not ("https" or "http"))
        {
            return Error(StatusCodes.Status400BadRequest, "Missing claim", $"A deep linking request needs {LtiClaims.DeepLinkingSettings} with an absolute deep_link_return_url.");
        }
        if (!settings.TryGetProperty("accept_types", out var types) || types.ValueKind != JsonValueKind.Array
            || !types.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "ltiResourceLink"))
        {
            return Error(StatusCodes.Status400BadRequest, "Nothing Grader can offer", "The platform does not accept ltiResourceLink items here, the only kind Grader makes.");
        }
        var user = await store.EnsureUserAsync(launch.Platform, launch.Sub, launch.Name ?? "", Roles.Instructor, cancellationToken);
        var pending = new DeepLinkRequest(launch.Platform.Id, launch.DeploymentId, returnUrl, ValidLaunch.Text(settings, "data"), user.Id);
        var protectedRequest = protection.CreateProtector(DeepLinkPurpose).ToTimeLimitedDataProtector()
            .Protect(JsonSerializer.Serialize(pending, Json.Options), TimeSpan.FromMinutes(30));
        await SignInAsync(context, user);
        var published = (await assignments.ListAsync(publishedOnly: true, cancellationToken)).Select(a => a.ToSummaryView()).ToList();
        return new RazorComponentResult<DeepLinkPicker>(new { Request = protectedRequest, Assignments = published, Platform = launch.Platform.Name });
    }

    public sealed record DeepLinkRequest(Guid PlatformId, string DeploymentId, string ReturnUrl, string? Data, Guid UserId);

    // The instructor picked an assignment: answer the platform with a signed LtiDeepLinkingResponse.
    public static async Task<Results<RazorComponentResult<DeepLinkReturn>, RazorComponentResult<LtiError>>> DeepLinkChoose(
        [FromForm, TextLimit(4000)] string request, [FromForm, TextLimit(200)] string assignmentId, HttpContext context, ClaimsPrincipal user,
        LtiStore store, AssignmentStore assignments, ToolKeys keys, IDataProtectionProvider protection, IOptions<GraderOptions> grader,
        CancellationToken cancellationToken)
    {
        DeepLinkRequest? pending;
        try
        {
            pending = JsonSerializer.Deserialize<DeepLinkRequest>(
                protection.CreateProtector(DeepLinkPurpose).ToTimeLimitedDataProtector().Unprotect(request), Json.Options);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            pending = null;
        }
        if (pending is null || pending.UserId != user.UserId() || await store.GetPlatformAsync(pending.PlatformId, cancellationToken) is not { } platform)
        {
            return Error(StatusCodes.Status400BadRequest, "Picker expired",
                "This choice is no longer valid (it is older than 30 minutes or belongs to another session). Open the content picker from the LMS again.");
        }
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { Published: true } assignment)
        {
            return Error(StatusCodes.Status404NotFound, "Assignment not found", $"There is no published assignment '{assignmentId}'. Publish it, then pick it again.");
        }
        var summary = assignment.ToSummaryView();
        var item = new Dictionary<string, object>
        {
            ["type"] = "ltiResourceLink",
            ["title"] = assignment.Title,
            ["url"] = TargetLink(BaseUrl(context.Request, grader.Value), assignment.Id),
            ["custom"] = new Dictionary<string, object> { ["assignment"] = assignment.Id },
            ["lineItem"] = new Dictionary<string, object>
            {
                ["scoreMaximum"] = summary.Points,
                ["label"] = assignment.Title,
                ["resourceId"] = assignment.Id,
                ["tag"] = "grader",
            },
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = platform.ClientId,
            ["aud"] = platform.Issuer,
            ["nonce"] = LtiStore.RandomToken(),
            [LtiClaims.MessageType] = LtiClaims.DeepLinkingResponse,
            [LtiClaims.Version] = LtiClaims.SupportedVersion,
            [LtiClaims.DeploymentId] = pending.DeploymentId,
            [LtiClaims.ContentItems] = JsonSerializer.SerializeToElement(new[] { item }),
        };
        if (pending.Data is not null)
        {
            claims[LtiClaims.DeepLinkingData] = pending.Data;
        }
        var jwt = await keys.SignAsync(claims, TimeSpan.FromMinutes(5), cancellationToken);
        // This one page posts to the platform, so its form may go there.
        var returnOrigin = new Uri(pending.ReturnUrl).GetLeftPart(UriPartial.Authority);
        context.Response.Headers.ContentSecurityPolicy = Web.WebExtensions.ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {returnOrigin}", StringComparison.Ordinal);
        return new RazorComponentResult<DeepLinkReturn>(new { ReturnUrl = pending.ReturnUrl, Jwt = jwt, Title = assignment.Title, Platform = platform.Name });
    }

    public static async Task<Ok<PublicJwks>> Jwks(HttpContext context, ToolKeys keys, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(await keys.PublishedAsync(cancellationToken));
    }

    public static Ok<ToolConfigView> Config(HttpRequest request, IOptions<GraderOptions> options) => TypedResults.Ok(ToolConfig(request, options.Value));

    public static async Task<Ok<PlatformView[]>> ListPlatforms(LtiStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListPlatformsAsync(cancellationToken)).Select(ToView).ToArray());

    public static async Task<Results<Created<PlatformView>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterPlatformRequest request, ClaimsPrincipal user, LtiStore store, CancellationToken cancellationToken)
    {
        var (errors, row) = await RegisterAsync(request, user, store, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid platform registration");
        }
        if (row is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Platform registered already",
                detail: "A platform with this issuer and client id is registered already. Delete it first to register it again.");
        }
        return TypedResults.Created($"/api/instructor/lti/platforms/{row.Id}", ToView(row));
    }

    public static async Task<Results<RedirectHttpResult, RazorComponentResult<LtiSetup>>> RegisterFromPage(
        [FromForm, TextLimit(200)] string? name, [FromForm, TextLimit(2000)] string? issuer, [FromForm, TextLimit(200)] string? clientId,
        [FromForm, TextLimit(2000)] string? deploymentIds, [FromForm, TextLimit(2000)] string? authUrl, [FromForm, TextLimit(2000)] string? tokenUrl,
        [FromForm, TextLimit(2000)] string? jwksUrl, ClaimsPrincipal user, LtiStore store, CancellationToken cancellationToken)
    {
        var request = new RegisterPlatformRequest(name, issuer, clientId,
            deploymentIds?.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), authUrl, tokenUrl, jwksUrl);
        var (errors, row) = await RegisterAsync(request, user, store, cancellationToken);
        if (errors.Count > 0 || row is null)
        {
            var message = errors.Count > 0
                ? string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))
                : "A platform with this issuer and client id is registered already.";
            return new RazorComponentResult<LtiSetup>(new { Error = message }) { StatusCode = StatusCodes.Status400BadRequest };
        }
        return TypedResults.Redirect("/instructor/lti");
    }

    private static async Task<(Dictionary<string, string[]> Errors, PlatformRow? Row)> RegisterAsync(
        RegisterPlatformRequest request, ClaimsPrincipal user, LtiStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string Required(string? value, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[field] = [$"Required: {what}."];
            }
            return value?.Trim() ?? "";
        }
        string Url(string? value, string field, string what)
        {
            var text = Required(value, field, what);
            if (text.Length > 0 && (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                errors[field] = [$"An absolute http(s) URL: {what}."];
            }
            return text;
        }
        var issuer = Required(request.Issuer, "issuer", "the platform's issuer (iss), e.g. https://canvas.instructure.com");
        var clientId = Required(request.ClientId, "clientId", "the client id the LMS gave Grader (Canvas: the developer key's id)");
        var deployments = (request.DeploymentIds ?? []).Select(d => d?.Trim() ?? "").Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (deployments.Length == 0)
        {
            errors["deploymentIds"] = ["At least one deployment id, as the LMS shows it for this installation of Grader."];
        }
        var authUrl = Url(request.AuthUrl, "authUrl", "the platform's OIDC authentication request URL");
        var tokenUrl = Url(request.TokenUrl, "tokenUrl", "the platform's OAuth 2 access token URL");
        var jwksUrl = Url(request.JwksUrl, "jwksUrl", "the platform's public key set (JWKS) URL");
        if (errors.Count > 0)
        {
            return (errors, null);
        }
        var name = string.IsNullOrWhiteSpace(request.Name) ? issuer : request.Name.Trim();
        var row = await store.CreatePlatformAsync(name.Length > 200 ? name[..200] : name, issuer, clientId, deployments, authUrl, tokenUrl, jwksUrl, user.UserId(), cancellationToken);
        return (errors, row);
    }

    public static async Task<Results<NoContent, NotFound>> DeletePlatform(Guid platformId, LtiStore store, CancellationToken cancellationToken) =>
        await store.DeletePlatformAsync(platformId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<Ok<RotatedKeyView>> RotateKey(ToolKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RotatedKeyView(await keys.RotateAsync(cancellationToken)));

    public static async Task<Ok<LinkView[]>> ListLinks(LtiStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListLinksAsync(cancellationToken)).Select(l => new LinkView(l.Id, l.PlatformId, l.DeploymentId, l.ContextId,
            l.ResourceLinkId, l.AssignmentId, l.LineItemUrl, l.LineItemUrl is not null || l.LineItemsUrl is not null, l.MembershipsUrl is not null, l.UpdatedAt)).ToArray());

    // Names and Role Provisioning: every member of the link's course becomes (or stays) a Grader user and a member.
    public static async Task<Results<Ok<RosterSyncView>, NotFound, ProblemHttpResult>> SyncRoster(
        Guid linkId, LtiStore store, PlatformServices services, CancellationToken cancellationToken)
    {
        if (await store.GetLinkAsync(linkId, cancellationToken) is not { } link || await store.GetPlatformAsync(link.PlatformId, cancellationToken) is not { } platform)
        {
            return TypedResults.NotFound();
        }
        if (link.MembershipsUrl is not { } url)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No roster service",
                detail: "The launches of this link announced no Names and Role Provisioning service. Enable it for Grader in the LMS, launch once, then sync again.");
        }
        IReadOnlyList<RosterMember> members;
        try
        {
            members = await services.ListMembersAsync(platform, url, cancellationToken);
        }
        catch (Exception e) when (e is PlatformException or HttpRequestException or TaskCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Roster unavailable", detail: $"The platform's roster could not be read: {e.Message}");
        }
        int students = 0, instructors = 0;
        foreach (var member in members)
        {
            var teaches = LtiRoles.Teaches(member.Roles);
            var grader = await store.EnsureUserAsync(platform, member.UserId, member.Name, teaches ? Roles.Instructor : Roles.Student, cancellationToken);
            await store.UpsertMemberAsync(platform.Id, link.ContextId, grader.Id, member.Roles, member.Status, cancellationToken);
            _ = teaches ? instructors++ : students++;
        }
        return TypedResults.Ok(new RosterSyncView(link.Id, members.Count, students, instructors));
    }

    public sealed record ScoreDeliveryView(Guid Id, Guid LinkId, Guid UserId, JsonElement Score, string Status, int Attempts, string? LastError,
        DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

    public static async Task<Ok<ScoreDeliveryView[]>> ListScores(Npgsql.NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, link_id, user_id, sub, score::text, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM lti_score_deliveries ORDER BY created_at DESC LIMIT 500");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ScoreDeliveryView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var r = ScoreDispatcher.Read(reader);
            rows.Add(new ScoreDeliveryView(r.Id, r.LinkId, r.UserId, JsonDocument.Parse(r.Score).RootElement.Clone(), r.Status, r.Attempts, r.LastError, r.CreatedAt, r.DeliveredAt));
        }
        return TypedResults.Ok(rows.ToArray());
    }

    private static PlatformView ToView(PlatformRow p) => new(p.Id, p.Name, p.Issuer, p.ClientId, p.DeploymentIds, p.AuthUrl, p.TokenUrl, p.JwksUrl, p.CreatedAt);

    private static string? AssignmentFromTarget(string? target)
    {
        const string prefix = "/lti/assignments/";
        if (target is null || !Uri.TryCreate(target, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var path = uri.AbsolutePath;
        var at = path.IndexOf(prefix, StringComparison.Ordinal);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + prefix.Length)..]).TrimEnd('/') is { Length: > 0 } id ? id : null;
    }

    private static string Limit(string text) => text.Length > 200 ? text[..200] : text;

    private static async Task SignInAsync(HttpContext context, UserRow user)
    {
        var principal = user.ToPrincipal(AuthExtensions.CookieScheme);
        await context.SignInAsync(AuthExtensions.CookieScheme, principal, new AuthenticationProperties { IsPersistent = true });
        // The page rendered in this response (the picker) carries an antiforgery token: it must be the signed-in user's.
        context.User = principal;
    }

    // The framework's form reader throws on what no platform sends (a %00, a broken encoding);
    // that is the sender's fault, answered with a page, not a server error.
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (ErrorHandling.IsUnreadableForm(e))
        {
            return null;
        }
    }

    private static RazorComponentResult<LtiError> UnreadableForm() => Error(StatusCodes.Status400BadRequest, "Malformed form",
        "The form posted here could not be read (a NUL character or a broken encoding in it). Start the tool from the LMS.");

    private static RazorComponentResult<LtiError> Error(int status, string title, string detail) =>
        new(new { Title = title, Detail = detail }) { StatusCode = status };
}
