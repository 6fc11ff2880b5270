namespace Grader.Api.Lti;

// The names LTI 1.3 Core, Deep Linking 2.0, AGS and NRPS give their claims, scopes and media types.
public static class LtiClaims
{
    private const string Core = "https://purl.imsglobal.org/spec/lti/claim/";
    public const string MessageType = Core + "message_type";
    public const string Version = Core + "version";
    public const string DeploymentId = Core + "deployment_id";
    public const string TargetLinkUri = Core + "target_link_uri";
    public const string ResourceLink = Core + "resource_link";
    public const string Roles = Core + "roles";
    public const string Context = Core + "context";
    public const string Custom = Core + "custom";

    public const string DeepLinkingSettings = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    public const string ContentItems = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    public const string DeepLinkingData = "https://purl.imsglobal.org/spec/lti-dl/claim/data";

    public const string AgsEndpoint = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    public const string NamesRoleService = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

    public const string ResourceLinkRequest = "LtiResourceLinkRequest";
    public const string DeepLinkingRequest = "LtiDeepLinkingRequest";
    public const string DeepLinkingResponse = "LtiDeepLinkingResponse";
    public const string SupportedVersion = "1.3.0";
}

public static class LtiScopes
{
    public const string LineItem = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public const string Score = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public const string Memberships = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
}

public static class LtiMediaTypes
{
    public const string Score = "application/vnd.ims.lis.v1.score+json";
    public const string LineItem = "application/vnd.ims.lis.v2.lineitem+json";
    public const string LineItemContainer = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    public const string Memberships = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
}

public static class LtiRoles
{
    // Course roles that make a Grader instructor (a teaching assistant stays a student).
    private static readonly string[] Teaching =
    [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    ];

    public static bool Teaches(IEnumerable<string> roles) => roles.Any(r => Teaching.Contains(r, StringComparer.Ordinal));
}
