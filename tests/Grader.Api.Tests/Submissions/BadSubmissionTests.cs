using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Submissions;

/// <summary>Every malformed submission gets a 4xx ProblemDetails that says what to fix, and nothing is stored.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BadSubmissionTests(GraderApp app) : IClassFixture<GraderApp>, IAsyncLifetime
{
    private const string Url = "/api/assignments/bad-input/submissions";
    private HttpClient _student = null!;
    private Guid _studentId;

    public async Task InitializeAsync()
    {
        if (await app.ScalarAsync<string>("SELECT id FROM assignments WHERE id = 'bad-input'") is null)
        {
            await app.SeedAssignmentAsync("bad-input", GraderApp.Manifest("bad-input"));
        }
        (_student, var user, _) = await app.CreateUserAsync(Roles.Student);
        _studentId = user.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        var problem = await response.AssertProblemAsync(status);
        Assert.True(problem.Detail().Contains(mentions, StringComparison.OrdinalIgnoreCase), problem.GetRawText());
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", _studentId));
    }

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Fact]
    public async Task Malformed_json_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body("{\"source\": \"x"u8.ToArray(), "application/json")), HttpStatusCode.BadRequest, "JSON");

    [Fact]
    public async Task Json_without_a_source_string_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body("{\"code\": 1}"u8.ToArray(), "application/json")), HttpStatusCode.BadRequest, "\"source\"");

    [Fact]
    public async Task An_unsupported_content_type_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body("<xml/>"u8.ToArray(), "application/xml")), HttpStatusCode.UnsupportedMediaType, "text/plain");

    [Fact]
    public async Task An_empty_source_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body([], "text/plain")), HttpStatusCode.BadRequest, "empty");

    [Fact]
    public async Task A_blank_source_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body(" \n\t "u8.ToArray(), "text/plain")), HttpStatusCode.BadRequest, "empty");

    [Fact]
    public async Task An_oversized_source_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body(Encoding.UTF8.GetBytes(new string('x', 70 * 1024)), "text/plain")), HttpStatusCode.RequestEntityTooLarge, "KiB");

    [Fact]
    public async Task An_oversized_source_inside_json_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body(Encoding.UTF8.GetBytes($"{{\"source\": \"{new string('x', 70 * 1024)}\"}}"), "application/json")),
            HttpStatusCode.RequestEntityTooLarge, "KiB");

    [Fact]
    public async Task Source_that_is_not_utf8_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, Body([0x64, 0x6f, 0xff, 0xfe, 0x75], "text/plain")), HttpStatusCode.BadRequest, "UTF-8");

    [Fact]
    public async Task A_multipart_form_without_a_file_is_refused() =>
        await AssertRefused(await _student.PostAsync(Url, new MultipartFormDataContent { { new StringContent("x"), "note" } }), HttpStatusCode.BadRequest, "file");

    [Fact]
    public async Task An_unknown_assignment_is_refused() =>
        await AssertRefused(await _student.PostAsync("/api/assignments/no-such-thing/submissions", Body("// x"u8.ToArray(), "text/plain")), HttpStatusCode.NotFound, "no published assignment");

    [Fact]
    public async Task An_unpublished_assignment_is_refused()
    {
        if (await app.ScalarAsync<string>("SELECT id FROM assignments WHERE id = 'bad-unpublished'") is null)
        {
            await app.SeedAssignmentAsync("bad-unpublished", GraderApp.Manifest("bad-unpublished"), publish: false);
        }
        await AssertRefused(await _student.PostAsync("/api/assignments/bad-unpublished/submissions", Body("// x"u8.ToArray(), "text/plain")), HttpStatusCode.NotFound, "no published assignment");
    }

    [Fact]
    public async Task A_submission_after_the_hard_cutoff_is_refused()
    {
        await app.SeedAssignmentAsync("bad-closed", GraderApp.Manifest("bad-closed"), contentHash: "closed");
        await app.ExecuteAsync("UPDATE assignments SET due_at = now() - interval '2 days', hard_cutoff_at = now() - interval '1 day' WHERE id = 'bad-closed'");
        await AssertRefused(await _student.PostAsync("/api/assignments/bad-closed/submissions", Body("// x"u8.ToArray(), "text/plain")), HttpStatusCode.Conflict, "cutoff");
    }

    [Fact]
    public async Task A_submission_before_opening_is_refused()
    {
        await app.SeedAssignmentAsync("bad-not-open", GraderApp.Manifest("bad-not-open"), contentHash: "not-open");
        await app.ExecuteAsync("UPDATE assignments SET opens_at = now() + interval '1 day' WHERE id = 'bad-not-open'");
        await AssertRefused(await _student.PostAsync("/api/assignments/bad-not-open/submissions", Body("// x"u8.ToArray(), "text/plain")), HttpStatusCode.Conflict, "opens");
    }

    [Fact]
    public async Task A_submission_over_the_limit_is_refused_and_the_earlier_ones_stay()
    {
        await app.SeedAssignmentAsync("bad-limit", GraderApp.Manifest("bad-limit"), contentHash: "limit");
        await app.ExecuteAsync("UPDATE assignments SET max_submissions = 1 WHERE id = 'bad-limit'");
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);
        Assert.Equal(HttpStatusCode.Accepted, (await student.PostAsync("/api/assignments/bad-limit/submissions", Body("// 1"u8.ToArray(), "text/plain"))).StatusCode);

        var problem = await (await student.PostAsync("/api/assignments/bad-limit/submissions", Body("// 2"u8.ToArray(), "text/plain"))).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("all 1 submissions", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", user.Id));
    }

    [Fact]
    public async Task A_request_without_a_key_is_refused()
    {
        var anonymous = app.CreateClient();
        var problem = await (await anonymous.PostAsync(Url, Body("// x"u8.ToArray(), "text/plain"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("grd_000000000000_wrongsecret")]
    public async Task A_request_with_a_bad_key_is_refused(string key) =>
        await (await app.ClientWithKey(key).PostAsync(Url, Body("// x"u8.ToArray(), "text/plain"))).AssertProblemAsync(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task A_bad_idempotency_key_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = Body("// x"u8.ToArray(), "text/plain") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201));
        await AssertRefused(await _student.SendAsync(request), HttpStatusCode.BadRequest, "Idempotency-Key");
    }
}
