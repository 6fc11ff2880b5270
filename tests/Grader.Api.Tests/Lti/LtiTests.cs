using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grader.Api.Auth;
using Grader.Api.Lti;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grader.Api.Tests.Lti;

/// <summary>A worker node with the test LMS registered; scores are retried every ~0.3 s.</summary>
public sealed class LtiApp : WorkerApp
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TestPlatform? _platform;

    public LtiApp()
    {
        With("Lti:PollInterval", "00:00:00.100");
        With("Lti:JwksMinRefresh", "00:00:00");
        for (int i = 0; i < 30; i++)
        {
            With($"Lti:RetrySchedule:{i}", "00:00:00.300");
        }
    }

    public HttpClient Instructor { get; private set; } = null!;

    /// <summary>The platform, started and registered through the API once per test class.</summary>
    public async Task<TestPlatform> PlatformAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_platform is null)
            {
                (Instructor, _, _) = await CreateUserAsync(Grader.Api.Auth.Roles.Instructor);
                await Instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(LtiTests.Id)));
                var platform = await TestPlatform.StartAsync(() => CreateClient().GetStringAsync("/lti/jwks"));
                var registered = await Instructor.PostAsJsonAsync("/api/instructor/lti/platforms", new
                {
                    name = "Test LMS",
                    issuer = platform.Issuer,
                    clientId = TestPlatform.ClientId,
                    deploymentIds = new[] { TestPlatform.DeploymentId },
                    authUrl = platform.AuthUrl,
                    tokenUrl = platform.TokenUrl,
                    jwksUrl = platform.JwksUrl,
                });
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
                _platform = platform;
            }
            return _platform;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

/// <summary>A browser without redirects: keeps cookies by name and shows what each response set.</summary>
public sealed class Browser(HttpClient client)
{
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);
    public List<string> SetCookies { get; } = [];

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await client.SendAsync(request);
        SetCookies.Clear();
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var header in set)
            {
                SetCookies.Add(header);
                var pair = header.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (value.Length == 0)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }
        return response;
    }

    public bool WasSet(string name) => SetCookies.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "=;", StringComparison.Ordinal));
}

/// <summary>
/// LTI 1.3 Advantage against a test LMS on loopback: the OIDC launch, deep linking, AGS score
/// passback on real grading, NRPS roster sync, the tool's key set, and refused launches.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class LtiTests(LtiApp app) : IClassFixture<LtiApp>
{
    public const string Id = "api-sums";
    private static readonly HttpClient Outside = new();

    private Browser NewBrowser() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    private async Task<(string State, string Nonce)> LoginAsync(TestPlatform platform, Browser browser, bool post = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["iss"] = platform.Issuer,
            ["login_hint"] = "hint-" + Guid.NewGuid().ToString("N")[..8],
            ["target_link_uri"] = "http://localhost/lti/launch",
            ["client_id"] = TestPlatform.ClientId,
            ["lti_deployment_id"] = TestPlatform.DeploymentId,
            ["lti_message_hint"] = "message-1",
        };
        var response = post
            ? await browser.PostFormAsync("/lti/login", fields)
            : await browser.GetAsync(QueryHelpers.AddQueryString("/lti/login", fields!));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(platform.AuthUrl + "?", location, StringComparison.Ordinal);
        var auth = await Outside.GetAsync(location);
        Assert.True(auth.IsSuccessStatusCode, await auth.Content.ReadAsStringAsync());
        var answer = await auth.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("http://localhost/lti/launch", answer.GetProperty("redirect_uri").GetString());
        Assert.Equal(fields["login_hint"], answer.GetProperty("login_hint").GetString());
        Assert.Equal("message-1", answer.GetProperty("lti_message_hint").GetString());
        return (answer.GetProperty("state").GetString()!, answer.GetProperty("nonce").GetString()!);
    }

    private static Task<HttpResponseMessage> PostLaunchAsync(Browser browser, string idToken, string state) =>
        browser.PostFormAsync("/lti/launch", new Dictionary<string, string> { ["id_token"] = idToken, ["state"] = state });

    private async Task<(Browser Browser, Guid UserId)> LaunchStudentAsync(TestPlatform platform, string sub, string context, string resourceLink)
    {
        var browser = NewBrowser();
        var (state, nonce) = await LoginAsync(platform, browser);
        var launched = await PostLaunchAsync(browser, platform.Sign(platform.LaunchClaims(nonce, sub, Id, context, resourceLink)), state);
        Assert.Equal(HttpStatusCode.Redirect, launched.StatusCode);
        return (browser, await app.ScalarAsync<Guid>("SELECT user_id FROM lti_users WHERE sub = $1", sub));
    }

    private async Task<long[]> StoredAsync() =>
    [
        await app.ScalarAsync<long>("SELECT count(*) FROM users"),
        await app.ScalarAsync<long>("SELECT count(*) FROM lti_users"),
        await app.ScalarAsync<long>("SELECT count(*) FROM lti_links"),
        await app.ScalarAsync<long>("SELECT count(*) FROM lti_members"),
    ];

    [Fact]
    public async Task Login_initiation_authentication_redirect_and_id_token_post_land_the_student_on_the_assignment()
    {
        var platform = await app.PlatformAsync();
        var browser = NewBrowser();
        var sub = "student-" + Guid.NewGuid().ToString("N")[..8];

        var (state, nonce) = await LoginAsync(platform, browser);
        var stateCookie = Assert.Single(browser.SetCookies, c => c.StartsWith(LtiEndpoints.StateCookie + "=", StringComparison.Ordinal));
        Assert.Contains("samesite=none", stateCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", stateCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", stateCookie, StringComparison.OrdinalIgnoreCase);

        var launched = await PostLaunchAsync(browser, platform.Sign(platform.LaunchClaims(nonce, sub, Id)), state);
        Assert.Equal(HttpStatusCode.Redirect, launched.StatusCode);
        Assert.Equal($"/assignments/{Id}", launched.Headers.Location!.ToString());
        Assert.True(browser.WasSet("grader_session"));

        var page = await browser.GetAsync($"/assignments/{Id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sums and scaling (service tests)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var userId = await app.ScalarAsync<Guid>("SELECT user_id FROM lti_users WHERE sub = $1", sub);
        Assert.Equal("student", await app.ScalarAsync<string>("SELECT role FROM users WHERE id = $1", userId));
        Assert.Equal($"Person {sub}", await app.ScalarAsync<string>("SELECT display_name FROM users WHERE id = $1", userId));

        // Again, by a POSTed login and signed with a key the platform published since: the same user, the new key fetched.
        var fetches = platform.JwksFetches;
        platform.PublishKey("platform-key-2");
        var again = NewBrowser();
        (state, nonce) = await LoginAsync(platform, again, post: true);
        var relaunched = await PostLaunchAsync(again, platform.Sign(platform.LaunchClaims(nonce, sub, Id), kid: "platform-key-2"), state);
        Assert.Equal(HttpStatusCode.Redirect, relaunched.StatusCode);
        Assert.Equal(fetches + 1, platform.JwksFetches);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM lti_users WHERE sub = $1", sub));
    }

    [Fact]
    public async Task An_instructor_launch_makes_an_instructor()
    {
        var platform = await app.PlatformAsync();
        var browser = NewBrowser();
        var sub = "teacher-" + Guid.NewGuid().ToString("N")[..8];
        var (state, nonce) = await LoginAsync(platform, browser);
        var launched = await PostLaunchAsync(browser, platform.Sign(platform.LaunchClaims(nonce, sub, Id, instructor: true)), state);
        Assert.Equal(HttpStatusCode.Redirect, launched.StatusCode);
        Assert.Equal("instructor", await app.ScalarAsync<string>(
            "SELECT u.role FROM users u JOIN lti_users l ON l.user_id = u.id WHERE l.sub = $1", sub));
    }

    [Fact]
    public async Task Deep_linking_round_trip_returns_a_signed_resource_link_with_its_line_item()
    {
        var platform = await app.PlatformAsync();
        var browser = NewBrowser();
        var (state, nonce) = await LoginAsync(platform, browser);

        var picker = await PostLaunchAsync(browser, platform.Sign(platform.DeepLinkingClaims(nonce, "teacher-dl")), state);
        Assert.Equal(HttpStatusCode.OK, picker.StatusCode);
        var html = await picker.Content.ReadAsStringAsync();
        Assert.Contains($"value=\"{Id}\"", html, StringComparison.Ordinal);

        var chosen = await browser.PostFormAsync("/lti/deep-link", new Dictionary<string, string>
        {
            ["request"] = Hidden(html, "request"),
            ["__antiforgery"] = Hidden(html, "__antiforgery"),
            ["assignmentId"] = Id,
        });
        var answer = await chosen.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Contains($"form-action 'self' {platform.BaseUrl}", chosen.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(platform.DeepLinkReturnUrl, FormAction().Match(answer).Groups[1].Value);

        // The browser posts the JWT back; the platform verifies it against the tool's published keys.
        var returned = await Outside.PostAsync(platform.DeepLinkReturnUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["JWT"] = Hidden(answer, "JWT") }));
        Assert.True(returned.IsSuccessStatusCode, await returned.Content.ReadAsStringAsync());
        var claims = await returned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(LtiClaims.DeepLinkingResponse, claims.GetProperty(LtiClaims.MessageType).GetString());
        Assert.Equal("1.3.0", claims.GetProperty(LtiClaims.Version).GetString());
        Assert.Equal(TestPlatform.DeploymentId, claims.GetProperty(LtiClaims.DeploymentId).GetString());
        Assert.Equal("opaque-data-42", claims.GetProperty(LtiClaims.DeepLinkingData).GetString());
        var item = Assert.Single(claims.GetProperty(LtiClaims.ContentItems).EnumerateArray());
        Assert.Equal("ltiResourceLink", item.GetProperty("type").GetString());
        Assert.Equal($"http://localhost/lti/assignments/{Id}", item.GetProperty("url").GetString());
        Assert.Equal(Id, item.GetProperty("custom").GetProperty("assignment").GetString());
        Assert.Equal(10, item.GetProperty("lineItem").GetProperty("scoreMaximum").GetDouble());
        Assert.Equal(Id, item.GetProperty("lineItem").GetProperty("resourceId").GetString());

        // A student's launch of that link (custom parameter and target as the platform sends them) opens the assignment.
        var student = NewBrowser();
        (state, nonce) = await LoginAsync(platform, student);
        var launch = platform.LaunchClaims(nonce, "student-dl", "placeholder", resourceLink: "rl-dl");
        launch[LtiClaims.TargetLinkUri] = item.GetProperty("url").GetString()!;
        launch[LtiClaims.Custom] = item.GetProperty("custom");
        var landed = await PostLaunchAsync(student, platform.Sign(launch), state);
        Assert.Equal($"/assignments/{Id}", landed.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_graded_submission_posts_one_score_and_only_a_regrade_that_changes_the_grade_posts_again()
    {
        var platform = await app.PlatformAsync();
        var sub = "ags-" + Guid.NewGuid().ToString("N")[..8];
        var (_, userId) = await LaunchStudentAsync(platform, sub, "course-ags", "rl-ags");
        var (_, key) = await app.Services.GetRequiredService<UserStore>().CreateKeyAsync(userId, "test", CancellationToken.None);
        var student = app.ClientWithKey(key);

        var graded = await student.WaitForResultAsync((await student.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"))).Id);
        Assert.Equal(10, graded.Score);
        await WaitUntilAsync(() => ScoresFor(platform, sub).Count == 1
            && app.ScalarAsync<long>("SELECT count(*) FROM lti_score_deliveries WHERE user_id = $1 AND status = 'Delivered'", userId).Result == 1);

        var score = Assert.Single(ScoresFor(platform, sub));
        Assert.StartsWith(LtiMediaTypes.Score, score.ContentType, StringComparison.Ordinal);
        Assert.True(platform.Issued(score.Bearer), $"'{score.Bearer}' is not a token the platform issued");
        Assert.Equal(sub, score.Body["userId"]!.GetValue<string>());
        Assert.Equal(10, score.Body["scoreGiven"]!.GetValue<double>());
        Assert.Equal(10, score.Body["scoreMaximum"]!.GetValue<double>());
        Assert.Equal("Completed", score.Body["activityProgress"]!.GetValue<string>());
        Assert.Equal("FullyGraded", score.Body["gradingProgress"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(score.Body["timestamp"]!.GetValue<string>(), out _));
        var lineItem = Assert.Single(platform.LineItems, i => i["context"]!.GetValue<string>() == "course-ags");
        Assert.Equal(score.LineItem, lineItem["id"]!.GetValue<string>());
        Assert.Equal(10, lineItem["scoreMaximum"]!.GetValue<double>());
        Assert.Equal(Id, lineItem["resourceId"]!.GetValue<string>());

        // A regrade of the same source gives the same grade: nothing is queued, nothing is posted.
        var regrade = await (await app.Instructor.PostAsync($"/api/instructor/assignments/{Id}/regrade", null)).Content.ReadFromJsonAsync<JsonElement>();
        var regradeId = regrade.GetProperty("regradeId").GetGuid();
        await WaitUntilAsync(async () => (await (await app.Instructor.GetAsync($"/api/instructor/assignments/{Id}/regrades/{regradeId}"))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pending").GetInt32() == 0);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM lti_score_deliveries WHERE user_id = $1", userId));

        // A late penalty does change it (one day late at 50 %): one more score, 5 of 10.
        var settings = await app.Instructor.PutAsJsonAsync($"/api/instructor/assignments/{Id}/settings",
            new { dueAt = DateTimeOffset.UtcNow.AddHours(-12), latePenaltyPerDay = 0.5, scorePolicy = "best" });
        try
        {
            Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
            await WaitUntilAsync(() => ScoresFor(platform, sub).Count == 2);
            var penalised = ScoresFor(platform, sub)[1];
            Assert.Equal(5, penalised.Body["scoreGiven"]!.GetValue<double>());
            Assert.Equal(score.LineItem, penalised.LineItem);
            Assert.Equal(2, await app.ScalarAsync<long>("SELECT count(*) FROM lti_score_deliveries WHERE user_id = $1", userId));
            Assert.Single(platform.LineItems, i => i["context"]!.GetValue<string>() == "course-ags");
        }
        finally
        {
            await app.Instructor.PutAsJsonAsync($"/api/instructor/assignments/{Id}/settings", new { latePenaltyPerDay = 0.0, scorePolicy = "best" });
        }
    }

    [Fact]
    public async Task The_platform_token_endpoint_refuses_a_client_assertion_not_signed_by_the_tool()
    {
        var platform = await app.PlatformAsync();
        var claims = new Dictionary<string, object> { ["iss"] = TestPlatform.ClientId, ["sub"] = TestPlatform.ClientId, ["aud"] = platform.TokenUrl, ["jti"] = Guid.NewGuid().ToString("N") };
        var kid = (await app.CreateClient().GetFromJsonAsync<JsonElement>("/lti/jwks")).GetProperty("keys")[0].GetProperty("kid").GetString()!;
        using var impostor = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(impostor) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
        var genuine = await app.Services.GetRequiredService<ToolKeys>().SignAsync(claims, TimeSpan.FromMinutes(5), CancellationToken.None);

        var refused = await RequestTokenAsync(platform, forged);
        var accepted = await RequestTokenAsync(platform, genuine);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.StartsWith("at-", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instructor_syncs_a_course_roster_over_names_and_roles_paging_included()
    {
        var platform = await app.PlatformAsync();
        platform.Roster.AddRange([
            new() { ["user_id"] = "roster-1", ["name"] = "Ada", ["roles"] = new System.Text.Json.Nodes.JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"), ["status"] = "Active" },
            new() { ["user_id"] = "roster-2", ["name"] = "Blaise", ["roles"] = new System.Text.Json.Nodes.JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"), ["status"] = "Active" },
            new() { ["user_id"] = "roster-3", ["name"] = "Carl", ["roles"] = new System.Text.Json.Nodes.JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"), ["status"] = "Active" },
        ]);
        await LaunchStudentAsync(platform, "roster-launcher", "course-nrps", "rl-nrps");
        var linkId = await app.ScalarAsync<Guid>("SELECT id FROM lti_links WHERE context_id = 'course-nrps'");

        var synced = await app.Instructor.PostAsync($"/api/instructor/lti/links/{linkId}/roster-sync", null);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var forbidden = await student.PostAsync($"/api/instructor/lti/links/{linkId}/roster-sync", null);

        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        var view = await synced.Content.ReadFromJsonAsync<RosterSyncView>();
        Assert.Equal(new RosterSyncView(linkId, 3, 2, 1), view);
        Assert.Equal(4, await app.ScalarAsync<long>("SELECT count(*) FROM lti_members WHERE context_id = 'course-nrps'"));
        Assert.Equal("instructor", await app.ScalarAsync<string>("SELECT u.role FROM users u JOIN lti_users l ON l.user_id = u.id WHERE l.sub = 'roster-3'"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task The_tool_publishes_its_public_keys_stores_private_ones_sealed_and_rotates_with_overlap()
    {
        await app.PlatformAsync();
        var before = await app.CreateClient().GetFromJsonAsync<JsonElement>("/lti/jwks");
        var oldKid = before.GetProperty("keys")[0].GetProperty("kid").GetString()!;
        Assert.All(before.GetProperty("keys").EnumerateArray(), k =>
        {
            Assert.Equal("RSA", k.GetProperty("kty").GetString());
            Assert.Equal("RS256", k.GetProperty("alg").GetString());
            Assert.False(k.TryGetProperty("d", out _));
        });
        var sealedKey = await app.ScalarAsync<byte[]>("SELECT private_key FROM lti_tool_keys WHERE kid = $1", oldKid);
        Assert.Throws<CryptographicException>(() => RSA.Create().ImportPkcs8PrivateKey(sealedKey, out _));
        Assert.DoesNotContain("MII", System.Text.Encoding.ASCII.GetString(sealedKey!), StringComparison.Ordinal);

        var rotated = await (await app.Instructor.PostAsync("/api/instructor/lti/keys/rotate", null)).Content.ReadFromJsonAsync<RotatedKeyView>();
        var after = await app.CreateClient().GetFromJsonAsync<JsonElement>("/lti/jwks");
        var kids = after.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        var signed = await app.Services.GetRequiredService<ToolKeys>().SignAsync(new Dictionary<string, object> { ["iss"] = "x" }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Contains(oldKid, kids);
        Assert.Contains(rotated!.Kid, kids);
        Assert.Equal(rotated.Kid, new JsonWebToken(signed).Kid);
    }

    [Fact]
    public async Task Registering_a_platform_says_what_is_missing_and_students_cannot()
    {
        var platform = await app.PlatformAsync();
        var empty = await app.Instructor.PostAsJsonAsync("/api/instructor/lti/platforms", new { issuer = " ", authUrl = "not a url" });
        var duplicate = await app.Instructor.PostAsJsonAsync("/api/instructor/lti/platforms", new
        {
            issuer = platform.Issuer, clientId = TestPlatform.ClientId, deploymentIds = new[] { "d" },
            authUrl = platform.AuthUrl, tokenUrl = platform.TokenUrl, jwksUrl = platform.JwksUrl,
        });
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var forbidden = await student.GetAsync("/api/instructor/lti/platforms");
        var config = await app.CreateClient().GetFromJsonAsync<ToolConfigView>("/lti/config");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var errors = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "issuer", "clientId", "deploymentIds", "authUrl", "tokenUrl", "jwksUrl" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("http://localhost/lti/login", config!.LoginUrl);
        Assert.Equal("http://localhost/lti/jwks", config.JwksUrl);
    }

    [Theory]
    [InlineData("forged signature", "Bad signature")]
    [InlineData("unknown kid", "Unknown signing key")]
    [InlineData("unsigned (alg none)", "Unsupported signature")]
    [InlineData("HS256", "Unsupported signature")]
    [InlineData("expired", "Expired launch")]
    [InlineData("issued in the future", "Launch out of date")]
    [InlineData("replayed id_token", "Replayed or foreign launch")]
    [InlineData("login used twice", "Login expired or used")]
    [InlineData("unknown state", "Login expired or used")]
    [InlineData("tampered state", "State does not match")]
    [InlineData("no state cookie", "Login cookie missing")]
    [InlineData("wrong issuer", "Wrong issuer")]
    [InlineData("wrong audience", "Wrong audience")]
    [InlineData("azp of another client", "Wrong authorized party")]
    [InlineData("unknown deployment", "Unknown deployment")]
    [InlineData("no sub", "Missing claim")]
    [InlineData("no message type", "Missing claim")]
    [InlineData("no roles", "Missing claim")]
    [InlineData("no resource link", "Missing claim")]
    [InlineData("wrong message type", "Unsupported message")]
    [InlineData("wrong version", "Unsupported LTI version")]
    [InlineData("unknown assignment", "Assignment not found")]
    [InlineData("student asks for deep linking", "Instructors only")]
    public async Task A_bad_launch_gets_an_error_page_and_stores_nothing(string badness, string title)
    {
        var platform = await app.PlatformAsync();
        var browser = NewBrowser();
        var (state, nonce) = await LoginAsync(platform, browser);
        var sub = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var claims = platform.LaunchClaims(nonce, sub, Id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string? token = null;
        var postedState = state;
        switch (badness)
        {
            case "forged signature": token = platform.Sign(claims, platform.Forger); break;
            case "unknown kid": token = platform.Sign(claims, platform.Forger, "kid-nobody-published"); break;
            case "unsigned (alg none)": token = new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims)); break;
            case "HS256":
                token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
                {
                    Claims = claims,
                    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = TestPlatform.PlatformKid }, SecurityAlgorithms.HmacSha256),
                });
                break;
            case "expired": claims["iat"] = now - 400; claims["exp"] = now - 200; break;
            case "issued in the future": claims["iat"] = now + 600; claims["exp"] = now + 900; break;
            case "replayed id_token":
                token = platform.Sign(claims);
                Assert.Equal(HttpStatusCode.Redirect, (await PostLaunchAsync(browser, token, state)).StatusCode);
                (postedState, _) = await LoginAsync(platform, browser);
                break;
            case "login used twice":
                token = platform.Sign(claims);
                Assert.Equal(HttpStatusCode.Redirect, (await PostLaunchAsync(browser, token, state)).StatusCode);
                browser.Cookies[LtiEndpoints.StateCookie] = state;
                break;
            case "unknown state":
                postedState = LtiStore.RandomToken();
                browser.Cookies[LtiEndpoints.StateCookie] = postedState;
                break;
            case "tampered state": postedState = state[..^2] + (state.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"); break;
            case "no state cookie": browser.Cookies.Remove(LtiEndpoints.StateCookie); break;
            case "wrong issuer": claims["iss"] = "https://lms.evil.example"; break;
            case "wrong audience": claims["aud"] = "another-tool"; break;
            case "azp of another client": claims["aud"] = TestPlatform.Json(new[] { TestPlatform.ClientId, "another-tool" }); claims["azp"] = "another-tool"; break;
            case "unknown deployment": claims[LtiClaims.DeploymentId] = "deployment-nobody-registered"; break;
            case "no sub": claims.Remove("sub"); break;
            case "no message type": claims.Remove(LtiClaims.MessageType); break;
            case "no roles": claims.Remove(LtiClaims.Roles); break;
            case "no resource link": claims.Remove(LtiClaims.ResourceLink); break;
            case "wrong message type": claims[LtiClaims.MessageType] = "LtiSubmissionReviewRequest"; break;
            case "wrong version": claims[LtiClaims.Version] = "1.1.0"; break;
            case "unknown assignment": claims[LtiClaims.TargetLinkUri] = "https://grader.example/lti/assignments/no-such-assignment"; break;
            case "student asks for deep linking":
                claims = platform.DeepLinkingClaims(nonce, sub);
                claims[LtiClaims.Roles] = TestPlatform.Json(new[] { "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner" });
                break;
            default: throw new ArgumentOutOfRangeException(nameof(badness));
        }
        token ??= platform.Sign(claims);
        var stored = await StoredAsync();

        var response = await PostLaunchAsync(browser, token, postedState);

        var html = await response.Content.ReadAsStringAsync();
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", html, StringComparison.Ordinal);
        Assert.False(browser.WasSet("grader_session"), "a refused launch must not start a session");
        Assert.Equal(stored, await StoredAsync());
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT count(*) FROM lti_users WHERE sub = $1", sub) - (badness is "replayed id_token" or "login used twice" ? 1 : 0));
    }

    // A %00 in a form body makes the framework's form reader throw; the sender gets a page saying so.
    [Theory]
    [InlineData("/lti/login", "iss")]
    [InlineData("/lti/launch", "state")]
    public async Task A_form_that_cannot_be_read_gets_an_error_page_and_stores_nothing(string path, string field)
    {
        var platform = await app.PlatformAsync();
        var browser = NewBrowser();
        var (state, _) = await LoginAsync(platform, browser);
        var stored = await StoredAsync();

        var response = await browser.PostFormAsync(path, new Dictionary<string, string> { ["id_token"] = "a.b.c", ["login_hint"] = "x", ["state"] = state, [field] = "a\0b" });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Malformed form</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", html, StringComparison.Ordinal);
        Assert.Equal(stored, await StoredAsync());
    }

    private static async Task<HttpResponseMessage> RequestTokenAsync(TestPlatform platform, string assertion) =>
        await Outside.PostAsync(platform.TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
            ["scope"] = LtiScopes.Score,
        }));

    private static List<ReceivedScore> ScoresFor(TestPlatform platform, string sub) =>
        platform.Scores.Where(s => s.Body["userId"]?.GetValue<string>() == sub).ToList();

    private static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]+)\"");
        Assert.True(match.Success, $"no hidden field {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\" id=\"lti-return\"")]
    private static partial Regex FormAction();

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s");
            await Task.Delay(100);
        }
    }
}
