using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grader.Api.Lti;

// A launch refused: the status and what the person in front of the LMS (or its administrator) can do about it.
public sealed record LaunchRefusal(int Status, string Title, string Detail);

// The claims of an id_token that passed every check.
public sealed record ValidLaunch(PlatformRow Platform, string MessageType, string Sub, string DeploymentId, string[] Roles, JsonElement Claims)
{
    public string? Name => Text(Claims, "name") ?? Text(Claims, "given_name");

    public JsonElement? Claim(string name) => Claims.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

// Checks an id_token as LTI 1.3 Core and the 1EdTech Security Framework require: RS256 under
// the platform's published key, issuer, audience and azp, exp and iat within a small skew,
// the nonce of this login, a registered deployment, a known message type and version 1.3.0.
public sealed class LaunchValidator(PlatformKeys platformKeys, IOptions<LtiOptions> options, TimeProvider time)
{
    private static readonly string[] MessageTypes = [LtiClaims.ResourceLinkRequest, LtiClaims.DeepLinkingRequest];
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(ValidLaunch? Launch, LaunchRefusal? Refusal)> ValidateAsync(string idToken, PlatformRow platform, LoginRow login, CancellationToken cancellationToken)
    {
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(idToken);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return Refuse("Malformed id_token", "The id_token is not a JWT. The platform must post the id_token it signed, unchanged.");
        }
        if (!string.Equals(token.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal))
        {
            return Refuse("Unsupported signature", $"The id_token is signed with '{token.Alg}'; LTI 1.3 requires RS256.");
        }
        if (string.IsNullOrEmpty(token.Kid))
        {
            return Refuse("No key id", "The id_token's header has no kid, so its key cannot be found in the platform's key set.");
        }
        SecurityKey? key;
        try
        {
            key = await platformKeys.FindAsync(platform.JwksUrl, token.Kid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or PlatformException or TaskCanceledException or ArgumentException)
        {
            return (null, new LaunchRefusal(StatusCodes.Status502BadGateway, "Platform key set unavailable",
                $"The platform's key set at {platform.JwksUrl} could not be read. Check the JWKS URL registered for this platform."));
        }
        if (key is null)
        {
            return Refuse("Unknown signing key", $"The platform's key set has no key '{token.Kid}'. Check the JWKS URL registered for this platform.");
        }

        var skew = options.Value.ClockSkew;
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = platform.Issuer,
            ValidAudience = platform.ClientId,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = skew,
            LifetimeValidator = (notBefore, expires, _, _) => expires is { } exp && exp.ToUniversalTime() > time.GetUtcNow().UtcDateTime - skew
                && (notBefore is not { } nbf || nbf.ToUniversalTime() <= time.GetUtcNow().UtcDateTime + skew),
            TryAllIssuerSigningKeys = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
                    Refuse("Bad signature", "The id_token's signature does not verify under the platform's published key."),
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException =>
                    Refuse("Expired launch", "The id_token has expired (or has no exp). Launch the tool again from the LMS; if this repeats, check both clocks."),
                SecurityTokenInvalidIssuerException =>
                    Refuse("Wrong issuer", $"The id_token's iss is not '{platform.Issuer}', the issuer this login started with."),
                SecurityTokenInvalidAudienceException =>
                    Refuse("Wrong audience", $"The id_token is not addressed to this tool's client id '{platform.ClientId}'. Check the client id registered for this platform."),
                _ => Refuse("Invalid id_token", "The id_token did not validate. Launch the tool again from the LMS."),
            };
        }

        var claims = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)).RootElement.Clone();
        var now = time.GetUtcNow();
        if (!claims.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedAt))
        {
            return Refuse("Missing claim", "The id_token has no iat (issued at) claim.");
        }
        var issued = DateTimeOffset.FromUnixTimeSeconds(issuedAt);
        if (issued > now + skew || issued < now - options.Value.MaxTokenAge)
        {
            return Refuse("Launch out of date", "The id_token was issued too far from now (iat). Launch the tool again from the LMS; if this repeats, check both clocks.");
        }
        var audiences = token.Audiences.ToList();
        var azp = ValidLaunch.Text(claims, "azp");
        if ((audiences.Count > 1 || azp is not null) && !string.Equals(azp, platform.ClientId, StringComparison.Ordinal))
        {
            return Refuse("Wrong authorized party", $"The id_token has several audiences or an azp, and its azp is not this tool's client id '{platform.ClientId}'.");
        }
        if (!string.Equals(ValidLaunch.Text(claims, "nonce"), login.Nonce, StringComparison.Ordinal))
        {
            return Refuse("Replayed or foreign launch", "The id_token's nonce is not the one this login sent: it was used before or belongs to another login. Launch the tool again from the LMS.");
        }
        if (ValidLaunch.Text(claims, "sub") is not { Length: > 0 and <= 255 } sub)
        {
            return Refuse("Missing claim", "The id_token has no sub (the user's id on the platform). Anonymous launches cannot be graded; the platform must send the user.");
        }
        if (ValidLaunch.Text(claims, LtiClaims.Version) is not { } version)
        {
            return Refuse("Missing claim", $"The id_token has no {LtiClaims.Version} claim.");
        }
        if (!string.Equals(version, LtiClaims.SupportedVersion, StringComparison.Ordinal))
        {
            return Refuse("Unsupported LTI version", $"The launch is LTI version '{version}'; Grader supports {LtiClaims.SupportedVersion}.");
        }
        if (ValidLaunch.Text(claims, LtiClaims.MessageType) is not { } messageType)
        {
            return Refuse("Missing claim", $"The id_token has no {LtiClaims.MessageType} claim.");
        }
        if (!MessageTypes.Contains(messageType, StringComparer.Ordinal))
        {
            return Refuse("Unsupported message", $"Grader handles {string.Join(" and ", MessageTypes)}, not '{messageType}'.");
        }
        if (ValidLaunch.Text(claims, LtiClaims.DeploymentId) is not { } deploymentId)
        {
            return Refuse("Missing claim", $"The id_token has no {LtiClaims.DeploymentId} claim.");
        }
        if (!platform.DeploymentIds.Contains(deploymentId, StringComparer.Ordinal))
        {
            return Refuse("Unknown deployment", $"Deployment '{deploymentId}' is not registered for this platform. An instructor adds it to the platform's deployment ids in Grader.");
        }
        if (!claims.TryGetProperty(LtiClaims.Roles, out var rolesClaim) || rolesClaim.ValueKind != JsonValueKind.Array)
        {
            return Refuse("Missing claim", $"The id_token has no {LtiClaims.Roles} claim.");
        }
        var roles = rolesClaim.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToArray();
        return (new ValidLaunch(platform, messageType, sub, deploymentId, roles, claims), null);
    }

    private static (ValidLaunch?, LaunchRefusal?) Refuse(string title, string detail) => (null, new LaunchRefusal(StatusCodes.Status400BadRequest, title, detail));
}
