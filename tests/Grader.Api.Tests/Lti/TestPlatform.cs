using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grader.Api.Lti;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grader.Api.Tests.Lti;

public sealed record ReceivedScore(string LineItem, string ContentType, string Bearer, JsonObject Body);

/// <summary>
/// A small LMS on loopback, over real HTTP: its own RS256 key set, an OIDC authorization endpoint
/// that checks the tool's authentication request, an OAuth 2 token endpoint that verifies the
/// tool's client assertion against the tool's published key set, AGS line items and scores,
/// an NRPS roster (two pages) and a deep-linking return URL that verifies the tool's answer.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    public const string ClientId = "grader-client-1";
    public const string DeploymentId = "deployment-1";
    public const string PlatformKid = "platform-key-1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RSA> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _lineItems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private int _lineItemCounter;

    private TestPlatform(WebApplication app, Func<Task<string>> toolJwks)
    {
        _app = app;
        ToolJwks = toolJwks;
        _published[PlatformKid] = RSA.Create(2048);
    }

    public string BaseUrl { get; private set; } = "";
    public string Issuer => BaseUrl;
    public string AuthUrl => BaseUrl + "/auth";
    public string TokenUrl => BaseUrl + "/token";
    public string JwksUrl => BaseUrl + "/jwks";
    public string DeepLinkReturnUrl => BaseUrl + "/deep-link-return";
    public string LineItemsUrl(string context) => $"{BaseUrl}/contexts/{context}/lineitems";
    public string MembershipsUrl(string context) => $"{BaseUrl}/contexts/{context}/memberships";

    /// <summary>Reads the tool's published key set (the tool is in memory, so the test hands us a way to reach it).</summary>
    public Func<Task<string>> ToolJwks { get; }

    /// <summary>A key the platform does not publish: what a forger would sign with.</summary>
    public RSA Forger { get; } = RSA.Create(2048);

    public int JwksFetches;
    public ConcurrentQueue<ReceivedScore> Scores { get; } = new();
    public ConcurrentQueue<string> TokenRefusals { get; } = new();
    public ConcurrentQueue<JsonElement> DeepLinkResponses { get; } = new();
    public IReadOnlyCollection<JsonObject> LineItems => _lineItems.Values.ToList();
    public List<JsonObject> Roster { get; } = [];

    public static async Task<TestPlatform> StartAsync(Func<Task<string>> toolJwks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var platform = new TestPlatform(app, toolJwks);
        platform.Map();
        await app.StartAsync();
        platform.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return platform;
    }

    public void PublishKey(string kid) => _published[kid] = RSA.Create(2048);

    public RSA Key(string kid) => _published[kid];

    private void Map()
    {
        _app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref JwksFetches);
            return Results.Json(new
            {
                keys = _published.Select(p =>
                {
                    var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(p.Value.ExportParameters(false)));
                    return new { kty = "RSA", alg = "RS256", use = "sig", kid = p.Key, n = jwk.N, e = jwk.E };
                }),
            });
        });

        // The OIDC authorization endpoint: checks the tool's request as a platform must, and
        // answers with what a real one would put in its auto-posting form.
        _app.MapGet("/auth", (HttpRequest request) =>
        {
            var q = request.Query;
            var problems = new List<string>();
            void Expect(string name, string value)
            {
                if (q[name].ToString() != value)
                {
                    problems.Add($"{name}={q[name]}");
                }
            }
            Expect("scope", "openid");
            Expect("response_type", "id_token");
            Expect("response_mode", "form_post");
            Expect("prompt", "none");
            Expect("client_id", ClientId);
            foreach (var name in new[] { "redirect_uri", "login_hint", "state", "nonce" })
            {
                if (string.IsNullOrEmpty(q[name]))
                {
                    problems.Add($"no {name}");
                }
            }
            return problems.Count > 0
                ? Results.BadRequest(new { error = "invalid_request", error_description = string.Join(", ", problems) })
                : Results.Json(new { state = q["state"].ToString(), nonce = q["nonce"].ToString(), redirect_uri = q["redirect_uri"].ToString(), login_hint = q["login_hint"].ToString(), lti_message_hint = q["lti_message_hint"].ToString() });
        });

        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                TokenRefusals.Enqueue("grant");
                return Results.BadRequest(new { error = "unsupported_grant_type" });
            }
            var keys = new JsonWebKeySet(await ToolJwks()).GetSigningKeys();
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = ClientId,
                ValidAudience = TokenUrl,
                IssuerSigningKeys = keys,
                ValidAlgorithms = ["RS256"],
                RequireExpirationTime = true,
            });
            if (!result.IsValid || !(result.Claims.TryGetValue("sub", out var sub) && sub as string == ClientId))
            {
                TokenRefusals.Enqueue(result.Exception?.GetType().Name ?? "sub");
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }
            var token = "at-" + Guid.NewGuid().ToString("N");
            _tokens[token] = form["scope"].ToString();
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 3600, scope = form["scope"].ToString() });
        });

        _app.MapGet("/contexts/{context}/lineitems", (string context, HttpRequest request) =>
        {
            if (Scope(request) is not { } scope || !scope.Contains(LtiScopes.LineItem, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }
            var resourceId = request.Query["resource_id"].ToString();
            return Results.Json(_lineItems.Values.Where(i => i["context"]!.GetValue<string>() == context
                && (resourceId.Length == 0 || i["resourceId"]?.GetValue<string>() == resourceId)).ToArray());
        });

        _app.MapPost("/contexts/{context}/lineitems", async (string context, HttpRequest request) =>
        {
            if (Scope(request) is not { } scope || !scope.Contains(LtiScopes.LineItem, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }
            var item = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!.AsObject();
            var id = $"{LineItemsUrl(context)}/{Interlocked.Increment(ref _lineItemCounter)}";
            item["id"] = id;
            item["context"] = context;
            _lineItems[id] = item;
            return Results.Json(item, statusCode: 201);
        });

        _app.MapPost("/contexts/{context}/lineitems/{n}/scores", async (string context, string n, HttpRequest request) =>
        {
            if (Scope(request) is not { } scope || !scope.Contains(LtiScopes.Score, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }
            if (!_lineItems.ContainsKey($"{LineItemsUrl(context)}/{n}"))
            {
                return Results.NotFound();
            }
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!.AsObject();
            Scores.Enqueue(new ReceivedScore($"{LineItemsUrl(context)}/{n}", request.ContentType ?? "", request.Headers.Authorization.ToString(), body));
            return Results.NoContent();
        });

        _app.MapGet("/contexts/{context}/memberships", (string context, HttpRequest request, HttpResponse response) =>
        {
            if (Scope(request) is not { } scope || !scope.Contains(LtiScopes.Memberships, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }
            var page = request.Query["page"] == "2" ? 2 : 1;
            if (page == 1 && Roster.Count > 2)
            {
                response.Headers.Append("Link", $"<{MembershipsUrl(context)}?page=2>; rel=\"next\"");
            }
            var members = page == 1 ? Roster.Take(2) : Roster.Skip(2);
            return Results.Json(new { id = MembershipsUrl(context), context = new { id = context }, members }, contentType: LtiMediaTypes.Memberships);
        });

        // The browser brings the tool's signed LtiDeepLinkingResponse here.
        _app.MapPost("/deep-link-return", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["JWT"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = ClientId,
                ValidAudience = Issuer,
                IssuerSigningKeys = new JsonWebKeySet(await ToolJwks()).GetSigningKeys(),
                ValidAlgorithms = ["RS256"],
            });
            if (!result.IsValid)
            {
                return Results.BadRequest(new { error = result.Exception?.Message });
            }
            var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(((JsonWebToken)result.SecurityToken).EncodedPayload)).RootElement.Clone();
            DeepLinkResponses.Enqueue(payload);
            return Results.Json(payload);
        });
    }

    private string? Scope(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.TryGetValue(header["Bearer ".Length..], out var scope) ? scope : null;
    }

    public bool Issued(string bearerHeader) => bearerHeader.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.ContainsKey(bearerHeader["Bearer ".Length..]);

    /// <summary>The claims of a student's resource link launch of an assignment, announcing AGS and NRPS for the context.</summary>
    public Dictionary<string, object> LaunchClaims(string nonce, string sub, string assignmentId, string context = "course-1", string resourceLink = "rl-1", bool instructor = false)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = sub,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["nonce"] = nonce,
            ["name"] = $"Person {sub}",
            [LtiClaims.MessageType] = LtiClaims.ResourceLinkRequest,
            [LtiClaims.Version] = "1.3.0",
            [LtiClaims.DeploymentId] = DeploymentId,
            [LtiClaims.TargetLinkUri] = $"https://grader.example/lti/assignments/{assignmentId}",
            [LtiClaims.ResourceLink] = Json(new { id = resourceLink, title = "Assignment link" }),
            [LtiClaims.Roles] = Json(new[] { instructor ? "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor" : "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner" }),
            [LtiClaims.Context] = Json(new { id = context, label = "MML", title = "Mathematics for Machine Learning" }),
            [LtiClaims.AgsEndpoint] = Json(new { scope = new[] { LtiScopes.LineItem, LtiScopes.Score }, lineitems = LineItemsUrl(context) }),
            [LtiClaims.NamesRoleService] = Json(new { context_memberships_url = MembershipsUrl(context), service_versions = new[] { "2.0" } }),
        };
    }

    public Dictionary<string, object> DeepLinkingClaims(string nonce, string sub)
    {
        var claims = LaunchClaims(nonce, sub, "unused", instructor: true);
        claims.Remove(LtiClaims.ResourceLink);
        claims.Remove(LtiClaims.TargetLinkUri);
        claims[LtiClaims.MessageType] = LtiClaims.DeepLinkingRequest;
        claims[LtiClaims.DeepLinkingSettings] = Json(new { deep_link_return_url = DeepLinkReturnUrl, accept_types = new[] { "ltiResourceLink" }, accept_presentation_document_targets = new[] { "iframe", "window" }, data = "opaque-data-42" });
        return claims;
    }

    /// <summary>Signs claims as this platform would (or as a forger would, with another key or kid).</summary>
    public string Sign(Dictionary<string, object> claims, RSA? key = null, string kid = PlatformKid) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _published[kid]) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
