using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Grader.Api.Lti;

// Each platform's published key set, cached per URL for JwksLifetime; an unknown kid fetches it
// again (at most every JwksMinRefresh, so forged kids cannot make us hammer the platform).
public sealed class PlatformKeys(PlatformHttp http, IOptions<LtiOptions> options, TimeProvider time)
{
    private sealed record Cached(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public int Fetches { get; private set; }

    // Null when the key set, even fetched again, has no such key; throws HttpRequestException when it cannot be read.
    public async Task<SecurityKey?> FindAsync(string jwksUrl, string kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(jwksUrl, out var cached) && now - cached.FetchedAt < options.Value.JwksLifetime)
        {
            if (Match(cached, kid) is { } known)
            {
                return known;
            }
            if (now - cached.FetchedAt < options.Value.JwksMinRefresh)
            {
                return null;
            }
        }
        var json = await http.GetStringAsync(jwksUrl, cancellationToken).ConfigureAwait(false);
        Fetches++;
        var fresh = new Cached(new JsonWebKeySet(json).GetSigningKeys().ToList(), now);
        _cache[jwksUrl] = fresh;
        return Match(fresh, kid);
    }

    private static SecurityKey? Match(Cached cached, string kid) => cached.Keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));
}
