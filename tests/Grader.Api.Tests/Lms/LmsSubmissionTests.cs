using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grader.Api.Auth;
using Grader.Api.Lms;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Webhooks;

namespace Grader.Api.Tests.Lms;

/// <summary>Inbound submissions from an LMS, signed with the integration's secret (Standard Webhooks).</summary>
[Collection(PostgresCollection.Name)]
public sealed class LmsSubmissionTests(GraderApp app) : IClassFixture<GraderApp>, IAsyncLifetime
{
    private const string Assignment = "lms-linear";
    private HttpClient _instructor = null!;
    private IntegrationSecretView _integration = null!;

    public async Task InitializeAsync()
    {
        (_instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        if (await app.ScalarAsync<long>("SELECT count(*) FROM assignments WHERE id = $1", Assignment) == 0)
        {
            await app.SeedAssignmentAsync(Assignment, GraderApp.Manifest(Assignment));
        }
        _integration = await (await _instructor.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = "Canvas (tests)" }))
            .ReadAsync<IntegrationSecretView>(HttpStatusCode.Created);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_signed_submission_creates_the_student_on_first_sight_and_queues_the_submission()
    {
        var externalId = $"canvas-{Guid.NewGuid():N}";

        var response = await SendAsync(Body(externalId, "Ada Lovelace"));

        var view = await response.ReadAsync<LmsSubmissionView>(HttpStatusCode.Accepted);
        Assert.False(view.Duplicate);
        Assert.Equal("Queued", view.Status);
        Assert.Equal("Ada Lovelace", await app.ScalarAsync<string>("SELECT display_name FROM users WHERE external_id = $1", externalId));
        Assert.Equal("student", await app.ScalarAsync<string>("SELECT role FROM users WHERE external_id = $1", externalId));
        Assert.Equal(view.StudentId, await app.ScalarAsync<Guid>("SELECT student_id FROM submissions WHERE id = $1", view.Id));

        // A second submission of the same student finds the same user.
        var again = await (await SendAsync(Body(externalId, "Ada Lovelace"))).ReadAsync<LmsSubmissionView>(HttpStatusCode.Accepted);
        Assert.Equal(view.StudentId, again.StudentId);
        Assert.Equal(1, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE external_id = $1", externalId));
    }

    [Fact]
    public async Task The_same_delivery_twice_creates_one_submission()
    {
        var externalId = $"moodle-{Guid.NewGuid():N}";
        var body = Body(externalId);
        var messageId = NewMessageId();

        var first = await (await SendAsync(body, messageId)).ReadAsync<LmsSubmissionView>(HttpStatusCode.Accepted);
        var second = await (await SendAsync(body, messageId)).ReadAsync<LmsSubmissionView>(HttpStatusCode.OK);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(Body(externalId, source: "double[] Solve(double[,] a, double[] b) => a.Length > 0 ? b : b;"), "msg_same_concurrent_" + externalId)));

        Assert.True(second.Duplicate);
        Assert.Equal(first.Id, second.Id);
        Assert.Single(concurrent, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(concurrent, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK));
        Assert.Equal(2, await app.ScalarAsync<long>(
            "SELECT count(*) FROM submissions s JOIN users u ON u.id = s.student_id WHERE u.external_id = $1", externalId));
    }

    [Fact]
    public async Task A_tampered_body_is_refused()
    {
        var victim = $"s-{Guid.NewGuid():N}";
        var body = Body(victim);
        var request = Signed(body, NewMessageId(), _integration.Secret, DateTimeOffset.UtcNow);
        var tampered = body.Replace(victim, "someone-else", StringComparison.Ordinal);
        Assert.NotEqual(body, tampered);
        request.Content = new StringContent(tampered, Encoding.UTF8, "application/json");

        var problem = await (await app.CreateClient().SendAsync(request)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("HMAC-SHA256", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_as_a_replay_even_with_a_valid_signature()
    {
        var externalId = $"s-{Guid.NewGuid():N}";

        var stale = await SendAsync(Body(externalId), at: DateTimeOffset.UtcNow.AddMinutes(-6));
        var future = await SendAsync(Body(externalId), at: DateTimeOffset.UtcNow.AddMinutes(6));

        Assert.Contains("minutes", (await stale.AssertProblemAsync(HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        await future.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE external_id = $1", externalId));
    }

    [Fact]
    public async Task A_wrong_secret_an_unsigned_request_and_a_revoked_integration_are_refused()
    {
        var body = Body($"s-{Guid.NewGuid():N}");
        var revoked = await (await _instructor.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = "old LMS" })).ReadAsync<IntegrationSecretView>(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await _instructor.DeleteAsync($"/api/instructor/lms-integrations/{revoked.Integration.Id}")).StatusCode);

        var wrong = await app.CreateClient().SendAsync(Signed(body, NewMessageId(), WebhookSignature.NewSecret(), DateTimeOffset.UtcNow));
        var unsigned = await app.CreateClient().PostAsync("/api/lms/submissions", new StringContent(body, Encoding.UTF8, "application/json"));
        var withRevoked = await app.CreateClient().SendAsync(Signed(body, NewMessageId(), revoked.Secret, DateTimeOffset.UtcNow));

        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("webhook-signature", (await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        await withRevoked.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_reused_webhook_id_with_a_different_body_is_a_conflict()
    {
        var messageId = NewMessageId();
        (await SendAsync(Body($"s-{Guid.NewGuid():N}"), messageId)).EnsureSuccessStatusCode();

        var reused = await SendAsync(Body($"s-{Guid.NewGuid():N}"), messageId);

        await reused.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_bodies_get_problem_details_that_say_what_to_fix()
    {
        var missing = await SendAsync("""{"assignmentId": "lms-linear"}""");
        var malformed = await SendAsync("{not json");
        var unknownAssignment = await SendAsync(Body($"s-{Guid.NewGuid():N}", assignment: "no-such-assignment"));
        var (_, instructor, _) = await app.CreateUserAsync(Roles.Instructor);
        var asInstructor = await SendAsync(Body(instructor.ExternalId));

        var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("externalUserId", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("source", out _));
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
        await unknownAssignment.AssertProblemAsync(HttpStatusCode.NotFound);
        await asInstructor.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_integration_requests_get_problem_details()
    {
        var unknown = Guid.NewGuid();

        var noName = await _instructor.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = " " });
        var badOverlap = await _instructor.PostAsJsonAsync($"/api/instructor/lms-integrations/{_integration.Integration.Id}/rotate-secret", new { overlapHours = -1 });
        var rotateUnknown = await _instructor.PostAsJsonAsync($"/api/instructor/lms-integrations/{unknown}/rotate-secret", new { overlapHours = 1 });
        var revokeUnknown = await _instructor.DeleteAsync($"/api/instructor/lms-integrations/{unknown}");
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var asStudent = await student.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = "mine" });

        Assert.True((await noName.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
        await badOverlap.AssertProblemAsync(HttpStatusCode.BadRequest);
        await rotateUnknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await revokeUnknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await asStudent.AssertProblemAsync(HttpStatusCode.Forbidden);
        // The refused rotation left the secret working.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(Body($"s-{Guid.NewGuid():N}"))).StatusCode);
    }

    [Fact]
    public async Task After_a_rotation_the_old_secret_works_until_its_overlap_ends()
    {
        var integration = await (await _instructor.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = "rotating LMS" })).ReadAsync<IntegrationSecretView>(HttpStatusCode.Created);
        var rotated = await (await _instructor.PostAsJsonAsync($"/api/instructor/lms-integrations/{integration.Integration.Id}/rotate-secret", new { overlapHours = 1 }))
            .ReadAsync<IntegrationSecretView>();

        var withOld = await app.CreateClient().SendAsync(Signed(Body($"s-{Guid.NewGuid():N}"), NewMessageId(), integration.Secret, DateTimeOffset.UtcNow));
        var withNew = await app.CreateClient().SendAsync(Signed(Body($"s-{Guid.NewGuid():N}"), NewMessageId(), rotated.Secret, DateTimeOffset.UtcNow));
        var cut = await (await _instructor.PostAsJsonAsync($"/api/instructor/lms-integrations/{integration.Integration.Id}/rotate-secret", new { overlapHours = 0 }))
            .ReadAsync<IntegrationSecretView>();
        var withRotatedOut = await app.CreateClient().SendAsync(Signed(Body($"s-{Guid.NewGuid():N}"), NewMessageId(), rotated.Secret, DateTimeOffset.UtcNow));
        var withNewest = await app.CreateClient().SendAsync(Signed(Body($"s-{Guid.NewGuid():N}"), NewMessageId(), cut.Secret, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Accepted, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withNew.StatusCode);
        await withRotatedOut.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Accepted, withNewest.StatusCode);
    }

    [Fact]
    public async Task Integration_secrets_are_shown_once_and_stored_encrypted()
    {
        var listed = await (await _instructor.GetAsync("/api/instructor/lms-integrations")).Content.ReadAsStringAsync();
        var stored = await app.ScalarAsync<byte[]>("SELECT secret FROM lms_integrations WHERE id = $1", _integration.Integration.Id);
        var key = _integration.Secret["whsec_".Length..];

        Assert.Contains(_integration.Integration.Id.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, Convert.ToBase64String(stored!), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    private static string NewMessageId() => $"msg_{Guid.NewGuid():N}";

    private static string Body(string externalId, string? displayName = null, string assignment = Assignment, string source = "double[] Solve(double[,] a, double[] b) => b;") =>
        JsonSerializer.Serialize(new { externalUserId = externalId, displayName, assignmentId = assignment, source });

    private Task<HttpResponseMessage> SendAsync(string body, string? messageId = null, DateTimeOffset? at = null) =>
        app.CreateClient().SendAsync(Signed(body, messageId ?? NewMessageId(), _integration.Secret, at ?? DateTimeOffset.UtcNow));

    /// <summary>What an LMS does: sign "id.timestamp.body" with the integration secret and send the three headers.</summary>
    private static HttpRequestMessage Signed(string body, string messageId, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/lms/submissions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, messageId, timestamp, body));
        return request;
    }
}
