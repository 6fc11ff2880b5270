using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Grader.Api.Lti;

// A platform said no, or said something we cannot use; the message goes to the delivery log.
public sealed class PlatformException(string message, int? statusCode = null) : Exception(message)
{
    public int? StatusCode { get; } = statusCode;
}

// Outbound HTTP to platforms: key sets, tokens, line items, scores, rosters. The URLs are the ones
// instructors registered or the platform's signed launches announced.
public sealed class PlatformHttp : IDisposable
{
    private readonly HttpClient _http;

    public PlatformHttp(IOptions<LtiOptions> options)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Value.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = options.Value.AttemptTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Grader-LTI", "1"));
    }

    public async Task<string> GetStringAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, url, cancellationToken).ConfigureAwait(false);
    }

    // Sends and returns the body of a 2xx answer; anything else is a PlatformException naming the status.
    public async Task<(string Body, HttpResponseHeaders Headers)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, request.RequestUri?.ToString() ?? "", cancellationToken).ConfigureAwait(false), response.Headers);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = body.Length > 300 ? body[..300] : body;
            throw new PlatformException($"{url} answered HTTP {(int)response.StatusCode}: {excerpt}", (int)response.StatusCode);
        }
        return body;
    }

    public void Dispose() => _http.Dispose();
}

// OAuth 2 client credentials with a signed JWT client assertion (1EdTech Security Framework);
// tokens are kept until shortly before they expire.
public sealed class PlatformTokens(PlatformHttp http, ToolKeys keys, TimeProvider time)
{
    private sealed record Token(string Value, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Token> _cache = new(StringComparer.Ordinal);

    public int Requests { get; private set; }

    public async Task<string> GetAsync(PlatformRow platform, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var scope = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var cacheKey = $"{platform.Id} {scope}";
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.ExpiresAt > time.GetUtcNow() + TimeSpan.FromSeconds(30))
        {
            return cached.Value;
        }
        var assertion = await keys.SignAsync(new Dictionary<string, object>
        {
            ["iss"] = platform.ClientId,
            ["sub"] = platform.ClientId,
            ["aud"] = platform.TokenUrl,
            ["jti"] = Guid.NewGuid().ToString("N"),
        }, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, platform.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
                ["scope"] = scope,
            }),
        };
        Requests++;
        var (body, _) = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = JsonNode.Parse(body);
        var value = json?["access_token"]?.GetValue<string>() ?? throw new PlatformException($"{platform.TokenUrl} returned no access_token.");
        var lifetime = json["expires_in"] is JsonValue seconds && seconds.TryGetValue<double>(out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(5);
        _cache[cacheKey] = new Token(value, time.GetUtcNow() + lifetime);
        return value;
    }
}

public sealed record RosterMember(string UserId, string Name, string[] Roles, string Status);

// Assignment and Grade Services (line items, scores) and Names and Role Provisioning (rosters).
public sealed class PlatformServices(PlatformHttp http, PlatformTokens tokens)
{
    // The link's line item: the one the launch named, else ours under its line items, else a new one.
    public async Task<string> FindOrCreateLineItemAsync(PlatformRow platform, LinkRow link, string label, double scoreMaximum, CancellationToken cancellationToken)
    {
        if (link.LineItemUrl is { } known)
        {
            return known;
        }
        var container = link.LineItemsUrl ?? throw new PlatformException("The launch announced neither a line item nor a line items URL: enable AGS for the tool.");
        var token = await tokens.GetAsync(platform, [LtiScopes.LineItem, LtiScopes.Score], cancellationToken).ConfigureAwait(false);
        var query = $"resource_link_id={Uri.EscapeDataString(link.ResourceLinkId)}&resource_id={Uri.EscapeDataString(link.AssignmentId)}";
        using (var find = new HttpRequestMessage(HttpMethod.Get, WithQuery(container, query)))
        {
            find.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            find.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LtiMediaTypes.LineItemContainer));
            var (body, _) = await http.SendAsync(find, cancellationToken).ConfigureAwait(false);
            if (JsonNode.Parse(body) is JsonArray items)
            {
                foreach (var item in items)
                {
                    if (item?["resourceId"]?.GetValue<string>() == link.AssignmentId && item["id"]?.GetValue<string>() is { } id)
                    {
                        return id;
                    }
                }
            }
        }
        using var create = new HttpRequestMessage(HttpMethod.Post, container)
        {
            Content = Json(new JsonObject
            {
                ["scoreMaximum"] = scoreMaximum,
                ["label"] = label,
                ["resourceId"] = link.AssignmentId,
                ["resourceLinkId"] = link.ResourceLinkId,
                ["tag"] = "grader",
            }, LtiMediaTypes.LineItem),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (created, _) = await http.SendAsync(create, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(created)?["id"]?.GetValue<string>() ?? throw new PlatformException($"{container} created a line item without an id.");
    }

    public async Task PostScoreAsync(PlatformRow platform, string lineItemUrl, JsonObject score, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(platform, [LtiScopes.LineItem, LtiScopes.Score], cancellationToken).ConfigureAwait(false);
        var builder = new UriBuilder(lineItemUrl);
        builder.Path = builder.Path.TrimEnd('/') + "/scores";
        using var request = new HttpRequestMessage(HttpMethod.Post, builder.Uri) { Content = Json(score, LtiMediaTypes.Score) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // Every member of the context, following the container's rel="next" pages.
    public async Task<IReadOnlyList<RosterMember>> ListMembersAsync(PlatformRow platform, string membershipsUrl, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(platform, [LtiScopes.Memberships], cancellationToken).ConfigureAwait(false);
        var members = new List<RosterMember>();
        string? next = membershipsUrl;
        for (var page = 0; next is not null && page < 100; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LtiMediaTypes.Memberships));
            var (body, headers) = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var member in JsonNode.Parse(body)?["members"]?.AsArray() ?? [])
            {
                if (member?["user_id"]?.GetValue<string>() is { Length: > 0 } userId)
                {
                    members.Add(new RosterMember(userId, member["name"]?.GetValue<string>() ?? "",
                        member["roles"]?.AsArray().Select(r => r?.GetValue<string>() ?? "").ToArray() ?? [],
                        member["status"]?.GetValue<string>() ?? "Active"));
                }
            }
            next = NextPage(headers);
        }
        return members;
    }

    private static string? NextPage(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var part in links.SelectMany(l => l.Split(',')))
        {
            var pieces = part.Split(';');
            if (pieces.Skip(1).Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal).Equals("rel=\"next\"", StringComparison.OrdinalIgnoreCase)))
            {
                return pieces[0].Trim().Trim('<', '>');
            }
        }
        return null;
    }

    private static string WithQuery(string url, string query) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    private static StringContent Json(JsonObject body, string mediaType) =>
        new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
}
