using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Web;

namespace Grader.Api.Tests.Web;

/// <summary>The sign-in rules of the pages, over HTTP against the real app, as a browser without JavaScript.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SignInPageTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task A_sign_in_link_signs_in_once_and_opening_it_does_not_use_it_up()
    {
        var (_, user, _) = await app.CreateUserAsync(Roles.Student);
        var token = await PageSession.SignInLinkTokenAsync(app, user.Id);
        using var browser = PageSession.Open(app);

        // A link previewer fetching the page must not spend the link.
        await browser.GetHtmlAsync($"/sign-in/{token}");
        var response = await browser.SubmitFormAsync($"/sign-in/{token}", "/session/link", ("token", token));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/assignments", PageSession.Location(response));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("grader_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Signed in as {user.ExternalId}", await browser.GetHtmlAsync("/assignments"), StringComparison.Ordinal);

        using var second = PageSession.Open(app);
        var again = await second.SubmitFormAsync($"/sign-in/{token}", "/session/link", ("token", token));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already been used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync("/assignments")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_sign_in_link_is_refused_with_what_to_do()
    {
        using var browser = PageSession.Open(app);

        var response = await browser.SubmitFormAsync("/sign-in/not-a-real-token", "/session/link", ("token", "not-a-real-token"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ask your instructor for a new one", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_with_an_API_key_starts_a_session_and_returns_to_the_page_asked_for()
    {
        var (_, user, key) = await app.CreateUserAsync(Roles.Student);
        using var browser = PageSession.Open(app);

        var challenge = await browser.Client.GetAsync("/assignments");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var signInPage = PageSession.Location(challenge);
        Assert.StartsWith("http://localhost/sign-in?ReturnUrl=%2Fassignments", signInPage, StringComparison.Ordinal);

        var wrong = await browser.SubmitFormAsync(signInPage, "/session/key", ("apiKey", "grd_wrong"), ("returnUrl", "/assignments"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("That API key is not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var right = await browser.SubmitFormAsync(signInPage, "/session/key", ("apiKey", $"  {key} "), ("returnUrl", "/assignments"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/assignments", PageSession.Location(right));
        Assert.Contains($"Signed in as {user.ExternalId}", await browser.GetHtmlAsync("/assignments"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_sign_in_a_return_address_on_another_site_is_ignored()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        using var browser = PageSession.Open(app);

        var response = await browser.SubmitFormAsync("/sign-in", "/session/key", ("apiKey", key), ("returnUrl", "//evil.example/phish"));

        Assert.Equal("/assignments", PageSession.Location(response));
    }

    [Fact]
    public async Task An_API_key_header_does_not_open_the_pages()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        using var browser = PageSession.Open(app);
        browser.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await browser.Client.GetAsync("/assignments");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/sign-in", PageSession.Location(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_form_post_without_its_antiforgery_token_is_refused()
    {
        var (_, user, key) = await app.CreateUserAsync(Roles.Student);
        var token = await PageSession.SignInLinkTokenAsync(app, user.Id);
        await app.SeedAssignmentAsync("web-antiforgery", GraderApp.Manifest("web-antiforgery"));
        using var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        // The session cookie alone, as a cross-site form would send it; and a token from another browser.
        using var other = PageSession.Open(app);
        var foreignToken = PageSession.AntiforgeryToken(await other.GetHtmlAsync("/sign-in"), "/session/key");

        var posts = new (string Action, bool Multipart, (string, string)[] Fields)[]
        {
            ("/session/link", false, [("token", token)]),
            ("/session/key", false, [("apiKey", key)]),
            ("/session/end", false, []),
            ("/assignments/web-antiforgery/submit", true, [("source", "double[] Solve(double[,] a, double[] b) => b;")]),
        };
        foreach (var (action, multipart, fields) in posts)
        {
            foreach (var antiforgery in new[] { null, foreignToken })
            {
                var body = fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)).ToList();
                if (antiforgery is not null)
                {
                    body.Add(KeyValuePair.Create("__antiforgery", antiforgery));
                }
                var response = await browser.Client.PostAsync(action, multipart ? Multipart(body) : new FormUrlEncodedContent(body));
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {action} (token {antiforgery is not null}): {(int)response.StatusCode}");
            }
        }

        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE assignment_id = 'web-antiforgery'"));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM sign_in_links WHERE user_id = $1 AND used_at IS NOT NULL", user.Id));
        // Still signed in: the sign-out without a token did nothing.
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/assignments")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        using var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);

        var response = await browser.SubmitFormAsync("/assignments", "/session/end");

        Assert.Equal("/sign-in", PageSession.Location(response));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/assignments")).StatusCode);
    }

    [Fact]
    public async Task Every_page_is_served_with_a_strict_content_security_policy_and_nothing_inline()
    {
        var (_, user, key) = await app.CreateUserAsync(Roles.Student);
        await app.SeedAssignmentAsync("web-csp", GraderApp.Manifest("web-csp"));
        using var browser = PageSession.Open(app);
        var anonymousPages = new[] { "/sign-in", $"/sign-in/{await PageSession.SignInLinkTokenAsync(app, user.Id)}" };
        foreach (var path in anonymousPages)
        {
            await AssertStrictAsync(browser, path);
        }
        await browser.SignInWithKeyAsync(key);
        foreach (var path in new[] { "/assignments", "/assignments/web-csp" })
        {
            await AssertStrictAsync(browser, path);
        }
    }

    private static MultipartFormDataContent Multipart(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    private static async Task AssertStrictAsync(PageSession browser, string path)
    {
        var response = await browser.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(WebExtensions.ContentSecurityPolicy, csp);
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..], StringComparer.Ordinal);
        Assert.Equal(["'none'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["style-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["form-action"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));

        // What the policy would block must not be in the page either, or the page breaks in a browser.
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<style\\b|\\sstyle=|\\son[a-z]+=", RegexOptions.IgnoreCase), html);
    }
}
