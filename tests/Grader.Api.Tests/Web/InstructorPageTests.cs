using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Grader.Api.Tests.Web;

public sealed class InstructorPagesApp : WorkerApp
{
    public InstructorPagesApp()
    {
        // Webhook endpoints on this machine's loopback only: nothing leaves it.
        With("Webhooks:RequireHttps", "false");
        With("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8");
    }
}

/// <summary>
/// The instructor's pages with JavaScript off: the roster and its CSV import, sign-in links and
/// keys, the gradebook and its drill-down on a node that grades for real, webhooks and LMS
/// integrations; students kept out of all of them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class InstructorPageTests(InstructorPagesApp app) : IClassFixture<InstructorPagesApp>, IAsyncLifetime
{
    private const string Id = "api-sums";
    private const string Hostile = "<script>alert('name')</script>";

    private static readonly string[] Pages =
    [
        "/instructor", "/instructor/roster", "/instructor/gradebook", $"/instructor/gradebook/{Id}", "/instructor/webhooks", "/instructor/lms",
    ];

    public async Task InitializeAsync()
    {
        if (await app.ScalarAsync<long>("SELECT count(*) FROM assignments WHERE id = $1", Id) > 0)
        {
            return;
        }
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        await instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(Id)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_student_is_turned_away_from_every_instructor_page_and_form()
    {
        var (_, student) = await SignedInAsync(Roles.Student);
        var (_, someone, _) = await app.CreateUserAsync(Roles.Student);

        foreach (var page in Pages.Append($"/instructor/roster/{someone.Id}"))
        {
            // The session's access-denied page is the sign-in page, where another account may sign in.
            var response = await student.Client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {(int)response.StatusCode}");
            Assert.StartsWith("/sign-in", new Uri(new Uri("http://x"), PageSession.Location(response)).AbsolutePath, StringComparison.Ordinal);
        }
        var token = PageSession.AntiforgeryToken(await student.GetHtmlAsync("/assignments"), "/session/end");
        var post = await student.Client.PostAsync($"/instructor/roster/{someone.Id}/sign-in-links", new FormUrlEncodedContent([new("__antiforgery", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM sign_in_links WHERE user_id = $1", someone.Id));
        Assert.DoesNotContain("aria-label=\"Instructor\"", await student.GetHtmlAsync("/assignments"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_instructor_page_carries_the_instructor_nav_with_the_current_section_marked()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);

        foreach (var page in Pages)
        {
            var html = await instructor.GetHtmlAsync(page);
            Assert.Contains("<nav class=\"instructor\" aria-label=\"Instructor\">", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"/hangfire\">Queue</a>", html, StringComparison.Ordinal);
        }
        Assert.Contains("<a href=\"/instructor/roster\" aria-current=\"page\">Roster</a>", await instructor.GetHtmlAsync("/instructor/roster"), StringComparison.Ordinal);
        Assert.Contains("<a href=\"/instructor/gradebook\" aria-current=\"page\">Gradebook</a>", await instructor.GetHtmlAsync($"/instructor/gradebook/{Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_roster_file_imports_its_students_once_however_often_it_is_imported()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var prefix = Unique();
        var csv = $"external_id,name,email\r\n{prefix}-1,Ada Lovelace,ada@example.edu\r\n\"{prefix}-2\",\"Hopper, Grace\",grace@example.edu\r\n{prefix}-3,{Hostile},x@example.edu\r\n";

        var first = await ImportAsync(instructor, csv);
        var again = await ImportAsync(instructor, csv);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/instructor/roster?added=3&updated=0&unchanged=0", PageSession.Location(first));
        Assert.Equal("/instructor/roster?added=0&updated=0&unchanged=3", PageSession.Location(again));
        Assert.Equal(3L, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE external_id LIKE $1", prefix + "%"));
        Assert.Equal("Hopper, Grace", await app.ScalarAsync<string>("SELECT display_name FROM users WHERE external_id = $1", prefix + "-2"));
        var html = await instructor.GetHtmlAsync(PageSession.Location(again));
        Assert.Contains("Roster imported: 0 added, 0 updated, 3 unchanged.", html, StringComparison.Ordinal);
        Assert.Contains("grace@example.edu", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);

        var renamed = await ImportAsync(instructor, $"{prefix}-1,Ada King,ada@example.edu\n");
        Assert.Equal("/instructor/roster?added=0&updated=1&unchanged=0", PageSession.Location(renamed));
    }

    [Fact]
    public async Task A_bad_roster_file_is_a_400_page_that_names_each_line_to_fix_and_imports_nothing()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var (_, teacher, _) = await app.CreateUserAsync(Roles.Instructor);
        var prefix = Unique();
        var csv = string.Join("\n",
            "external_id,name,email",
            $"{prefix}-1,Ada,ada@example.edu",
            $"{prefix}-2,Grace",
            $"{prefix}-3,Alan,not-an-email",
            $"{prefix}-1,Ada again,ada2@example.edu",
            $"\"{prefix}-4,Open quote,x@example.edu",
            $"{teacher.ExternalId},Teacher,t@example.edu");

        var response = await ImportAsync(instructor, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("roster.csv was not imported", html, StringComparison.Ordinal);
        Assert.Contains("Line 3: This line has 2 fields; a roster line has 3", html, StringComparison.Ordinal);
        Assert.Contains("Line 4: &#x27;not-an-email&#x27; is not an email address", html, StringComparison.Ordinal);
        Assert.Contains($"Line 5: The external id &#x27;{prefix}-1&#x27; is already on line 2", html, StringComparison.Ordinal);
        Assert.Contains("Line 6: A quoted field is not closed on this line.", html, StringComparison.Ordinal);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE external_id LIKE $1", prefix + "%"));

        // Once the other lines are fixed, the instructor's id is the one left to fix.
        var onlyTeacher = await ImportAsync(instructor, $"{prefix}-1,Ada,ada@example.edu\n{teacher.ExternalId},Teacher,t@example.edu\n");
        Assert.Equal(HttpStatusCode.BadRequest, onlyTeacher.StatusCode);
        Assert.Contains($"Line 2: &#x27;{teacher.ExternalId}&#x27; is an instructor&#x27;s id", await onlyTeacher.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Roles.Instructor, await app.ScalarAsync<string>("SELECT role FROM users WHERE id = $1", teacher.Id));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE external_id LIKE $1", prefix + "%"));
    }

    [Theory]
    [InlineData(new byte[0], "Choose a CSV file")]
    [InlineData(new byte[] { 0x73, 0x31, 0x2c, 0xff, 0xfe, 0x2c, 0x61, 0x40, 0x62, 0x2e, 0x63 }, "The file is not UTF-8 text.")]
    [InlineData(new byte[] { 0x0a, 0x0a }, "The file has no students.")]
    public async Task An_empty_or_undecodable_roster_file_is_a_400_page_saying_what_to_do(byte[] bytes, string message)
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);

        var response = await ImportAsync(instructor, bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_add_student_form_adds_one_and_refuses_a_taken_id_with_what_to_fix()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var externalId = Unique();

        var added = await instructor.SubmitFormAsync("/instructor/roster", "/instructor/roster/students",
            ("externalId", externalId), ("displayName", Hostile), ("email", "s@example.edu"));
        var taken = await instructor.SubmitFormAsync("/instructor/roster", "/instructor/roster/students",
            ("externalId", externalId), ("displayName", "Other"), ("email", "o@example.edu"));
        var bad = await instructor.SubmitFormAsync("/instructor/roster", "/instructor/roster/students",
            ("externalId", "has space"), ("displayName", ""), ("email", ""));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(Hostile, await app.ScalarAsync<string>("SELECT display_name FROM users WHERE external_id = $1", externalId));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains($"A user with the external id &#x27;{externalId}&#x27; is already on the roster", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("contains a space", badHtml, StringComparison.Ordinal);
        Assert.Contains("The email (third field) is empty.", badHtml, StringComparison.Ordinal);
        // The form comes back filled in, encoded.
        Assert.Contains("value=\"has space\"", badHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_link_is_shown_once_signs_the_student_in_and_a_withdrawn_one_does_not()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var student = await CreateStudentAsync(Hostile);
        var page = $"/instructor/roster/{student.Id}";

        var issued = await instructor.SubmitFormAsync(page, $"{page}/sign-in-links");

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.True(issued.Headers.CacheControl?.NoStore);
        var html = await issued.Content.ReadAsStringAsync();
        var url = LinkPattern().Match(html);
        Assert.True(url.Success, html);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain(url.Groups["token"].Value, await instructor.GetHtmlAsync(page), StringComparison.Ordinal);

        using var browser = PageSession.Open(app);
        var signIn = await browser.SubmitFormAsync($"/sign-in/{url.Groups["token"].Value}", "/session/link", ("token", url.Groups["token"].Value));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("<td>never</td>", await instructor.GetHtmlAsync("/instructor/roster"), StringComparison.Ordinal);
        Assert.NotNull(await app.ScalarAsync<DateTime?>("SELECT used_at FROM sign_in_links WHERE user_id = $1", student.Id));

        var second = LinkPattern().Match(await (await instructor.SubmitFormAsync(page, $"{page}/sign-in-links")).Content.ReadAsStringAsync()).Groups["token"].Value;
        var linkId = await app.ScalarAsync<Guid>("SELECT id FROM sign_in_links WHERE user_id = $1 AND used_at IS NULL", student.Id);
        var withdrawn = await instructor.SubmitFormAsync(page, $"{page}/sign-in-links/{linkId}/revoke");
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Contains("No open sign-in link.", await instructor.GetHtmlAsync(page), StringComparison.Ordinal);
        using var other = PageSession.Open(app);
        var refused = await other.SubmitFormAsync($"/sign-in/{second}", "/session/link", ("token", second));
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains("Your instructor withdrew this sign-in link.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_is_shown_once_works_and_stops_working_when_revoked()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var student = await CreateStudentAsync("Key Holder");
        var page = $"/instructor/roster/{student.Id}";

        var issued = await instructor.SubmitFormAsync(page, $"{page}/keys", ("name", "laptop"));

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.True(issued.Headers.CacheControl?.NoStore);
        var key = KeyPattern().Match(await issued.Content.ReadAsStringAsync()).Value;
        Assert.NotEmpty(key);
        var api = app.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/me")).StatusCode);
        var listing = await instructor.GetHtmlAsync(page);
        Assert.DoesNotContain(key, listing, StringComparison.Ordinal);
        Assert.Contains("laptop", listing, StringComparison.Ordinal);

        var keyId = await app.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE user_id = $1", student.Id);
        var revoked = await instructor.SubmitFormAsync(page, $"{page}/keys/{keyId}/revoke");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/me")).StatusCode);
        Assert.Contains("revoked ", await instructor.GetHtmlAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var student = await CreateStudentAsync("No Token");

        var response = await instructor.Client.PostAsync($"/instructor/roster/{student.Id}/sign-in-links", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM sign_in_links WHERE user_id = $1", student.Id));
    }

    [Fact]
    public async Task The_gradebook_sorts_by_its_query_string_and_drills_down_to_a_report_with_hidden_cases_in_full()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var prefix = Unique();
        var (strong, strongUser) = await RosterStudentAsync($"{prefix}-a", Hostile);
        var (weak, _) = await RosterStudentAsync($"{prefix}-b", "Weak");
        var wrong = Reference().Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal).Replace("v[i] * k", "v[i] + k", StringComparison.Ordinal);
        await weak.WaitForResultAsync((await weak.SubmitAsync(Id, wrong)).Id);
        var counting = (await strong.SubmitAsync(Id, Reference())).Id;
        await strong.WaitForResultAsync(counting);
        await strong.WaitForResultAsync((await strong.SubmitAsync(Id, wrong)).Id);

        var byScore = await instructor.GetHtmlAsync($"/instructor/gradebook/{Id}?sort=score&desc=true");
        var byStudent = await instructor.GetHtmlAsync($"/instructor/gradebook/{Id}?sort=student&desc=true");

        Assert.True(byScore.IndexOf($"{prefix}-a", StringComparison.Ordinal) < byScore.IndexOf($"{prefix}-b", StringComparison.Ordinal));
        Assert.True(byStudent.IndexOf($"{prefix}-b", StringComparison.Ordinal) < byStudent.IndexOf($"{prefix}-a", StringComparison.Ordinal));
        Assert.Contains("aria-sort=\"descending\"", byScore, StringComparison.Ordinal);
        Assert.Contains($"href=\"/instructor/gradebook/{Id}?sort=score\"", byScore, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/instructor/assignments/{Id}/gradebook.csv\"", byScore, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", byScore, StringComparison.Ordinal);
        // Best 10, last 0, two submissions: the row of the strong student.
        Assert.Matches($"{prefix}-a</a></th>\\s*<td>&lt;script&gt;[^<]*</td>\\s*<td>.*?10 / 10.*?</td>\\s*<td>10</td>\\s*<td>0</td>\\s*<td>&#x2014;</td>\\s*<td>2</td>",
            Regex.Replace(byScore, "\\s+", " "));

        var drill = await instructor.GetHtmlAsync($"/instructor/gradebook/{Id}/students/{strongUser.Id}");
        Assert.Contains("2 submissions, newest first", drill, StringComparison.Ordinal);
        Assert.Contains("(counts)", drill, StringComparison.Ordinal);
        Assert.Contains($"href=\"/instructor/submissions/{counting}\"", drill, StringComparison.Ordinal);

        var wrongId = await app.ScalarAsync<Guid>("SELECT id FROM submissions WHERE student_id = $1 AND id <> $2", strongUser.Id, counting);
        var report = await instructor.GetHtmlAsync($"/instructor/submissions/{wrongId}");
        Assert.Contains("Hidden cases <span class=\"tag\">instructors only</span>", report, StringComparison.Ordinal);
        Assert.Contains("[4321.5,0.25]", report, StringComparison.Ordinal);
        Assert.Contains("4321.75", report, StringComparison.Ordinal);
        Assert.Contains("197531", report, StringComparison.Ordinal);
        // The same report rendering as the student's page: score bars, the cases, the code.
        Assert.Contains("<h2 id=\"cases-heading\">Cases</h2>", report, StringComparison.Ordinal);
        Assert.Contains("<summary>The student&#x27;s code</summary>", report, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", report, StringComparison.Ordinal);

        // The student's own page of the same submission still shows none of it.
        using var own = PageSession.Open(app);
        await own.SignInWithKeyAsync(await KeyAsync(strongUser.Id));
        var studentPage = await own.GetHtmlAsync($"/submissions/{wrongId}");
        Assert.DoesNotContain("4321.75", studentPage, StringComparison.Ordinal);
        Assert.DoesNotContain("instructors only", studentPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_endpoint_shows_its_secret_once_and_its_deliveries_with_each_attempt_and_can_redeliver()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var url = $"http://127.0.0.1:9/{Unique()}";

        var refused = await instructor.SubmitFormAsync("/instructor/webhooks", "/instructor/webhooks", ("url", "ftp://nowhere"), ("description", Hostile));
        var created = await instructor.SubmitFormAsync("/instructor/webhooks", "/instructor/webhooks",
            ("url", url), ("eventTypes", "assignment.published"), ("description", Hostile));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("url: The URL must be an absolute https:// URL.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore);
        var secret = Regex.Match(await created.Content.ReadAsStringAsync(), "id=\"secret\" class=\"secret\" type=\"text\" readonly value=\"(?<s>whsec_[^\"]+)\"").Groups["s"].Value;
        Assert.NotEmpty(secret);
        var list = await instructor.GetHtmlAsync("/instructor/webhooks");
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", list, StringComparison.Ordinal);

        // A delivery that failed twice, as the dispatcher records one.
        var endpointId = await app.ScalarAsync<Guid>("SELECT id FROM webhook_endpoints WHERE url = $1", url);
        var deliveryId = Guid.NewGuid();
        await app.ExecuteAsync(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, attempts, series_attempts, next_attempt_at, last_error)
            VALUES ($1, $2, 'msg_1', 'assignment.published', '{"note":"<b>x</b>"}', 'Failed', 2, 2, now() + interval '1 day', 'connection refused')
            """, deliveryId, endpointId);
        await app.ExecuteAsync(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error, worker)
            VALUES ($1, 1, now(), NULL, 3.5, 'connection refused', 't'), ($1, 2, now(), 500, 12.25, 'HTTP 500', 't')
            """, deliveryId);
        var deliveries = await instructor.GetHtmlAsync($"/instructor/webhooks/{endpointId}");
        Assert.Contains("2 attempts", deliveries, StringComparison.Ordinal);
        Assert.Contains("12.2 ms", deliveries, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", deliveries, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", deliveries, StringComparison.Ordinal);

        var redeliver = await instructor.SubmitFormAsync($"/instructor/webhooks/{endpointId}", $"/instructor/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver");

        Assert.Equal(HttpStatusCode.Redirect, redeliver.StatusCode);
        Assert.Equal($"/instructor/webhooks/{endpointId}?redelivered=true", PageSession.Location(redeliver));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT series_attempts FROM webhook_deliveries WHERE id = $1", deliveryId));
        Assert.Contains("The delivery was queued again", await instructor.GetHtmlAsync(PageSession.Location(redeliver)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_lms_integration_shows_its_secret_once_and_can_be_revoked()
    {
        var (_, instructor) = await SignedInAsync(Roles.Instructor);
        var name = $"Canvas {Unique()} {Hostile}";

        var empty = await instructor.SubmitFormAsync("/instructor/lms", "/instructor/lms", ("name", " "));
        var created = await instructor.SubmitFormAsync("/instructor/lms", "/instructor/lms", ("name", name));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("characters naming the LMS", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var secret = Regex.Match(await created.Content.ReadAsStringAsync(), "id=\"secret\" class=\"secret\" type=\"text\" readonly value=\"(?<s>[^\"]+)\"").Groups["s"].Value;
        Assert.NotEmpty(secret);
        Assert.DoesNotContain(secret, await instructor.GetHtmlAsync("/instructor/lms"), StringComparison.Ordinal);

        var id = await app.ScalarAsync<Guid>("SELECT id FROM lms_integrations WHERE name = $1", name);
        var revoked = await instructor.SubmitFormAsync("/instructor/lms", $"/instructor/lms/{id}/revoke");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.NotNull(await app.ScalarAsync<DateTime?>("SELECT revoked_at FROM lms_integrations WHERE id = $1", id));
        var html = await instructor.GetHtmlAsync("/instructor/lms");
        Assert.Contains("revoked ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
    }

    private static string Reference() => TestPackages.Text(Id, "reference.csx");

    private static string Unique() => $"r{Guid.NewGuid():N}"[..13];

    private async Task<(HttpClient Api, PageSession Browser)> SignedInAsync(string role)
    {
        var (api, _, key) = await app.CreateUserAsync(role);
        var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        return (api, browser);
    }

    private async Task<UserRow> CreateStudentAsync(string name) =>
        await app.Services.GetRequiredService<UserStore>().CreateAsync(Unique(), name, Roles.Student, "s@example.edu", CancellationToken.None)
        ?? throw new InvalidOperationException("duplicate");

    private async Task<(HttpClient Api, UserRow User)> RosterStudentAsync(string externalId, string name)
    {
        var user = await app.Services.GetRequiredService<UserStore>().CreateAsync(externalId, name, Roles.Student, "s@example.edu", CancellationToken.None)
            ?? throw new InvalidOperationException("duplicate");
        return (app.ClientWithKey(await KeyAsync(user.Id)), user);
    }

    private async Task<string> KeyAsync(Guid userId) =>
        (await app.Services.GetRequiredService<UserStore>().CreateKeyAsync(userId, "test", CancellationToken.None)).Key;

    private static Task<HttpResponseMessage> ImportAsync(PageSession instructor, string csv) => ImportAsync(instructor, Encoding.UTF8.GetBytes(csv));

    private static async Task<HttpResponseMessage> ImportAsync(PageSession instructor, byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await instructor.SubmitMultipartAsync("/instructor/roster", "/instructor/roster/import", new MultipartFormDataContent { { file, "roster", "roster.csv" } });
    }

    [GeneratedRegex("value=\"https?://[^\"]*/sign-in/(?<token>[A-Za-z0-9_-]{20,})\"")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("grd_[0-9a-f]{12}_[A-Za-z0-9-]+")]
    private static partial Regex KeyPattern();
}
