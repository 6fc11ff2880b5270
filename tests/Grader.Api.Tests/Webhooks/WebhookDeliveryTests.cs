using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Webhooks;

namespace Grader.Api.Tests.Webhooks;

/// <summary>A worker node whose webhooks may reach loopback, retried every ~0.3 s instead of over a day.</summary>
public sealed class WebhookApp : WorkerApp
{
    public WebhookApp()
    {
        With("Webhooks:RequireHttps", "false");
        With("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8");
        With("Webhooks:PollInterval", "00:00:00.100");
        With("Webhooks:AttemptTimeout", "00:00:02");
        With("Webhooks:DisableAfter", "00:00:10");
        With("Webhooks:DisableAfterFailures", "3");
        for (int i = 0; i < 60; i++)
        {
            With($"Webhooks:RetrySchedule:{i}", "00:00:00.300");
        }
    }
}

/// <summary>
/// Outbound webhooks end to end: real grading on a worker node, a real HTTP receiver on loopback
/// that checks Standard Webhooks signatures, the delivery log, rotation, auto-disabling.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookApp app) : IClassFixture<WebhookApp>, IAsyncLifetime
{
    private const string Id = "api-sums";
    private HttpClient _instructor = null!;

    public async Task InitializeAsync()
    {
        (_instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        await _instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(Id)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_event_reaches_a_receiver_that_was_down_for_a_while_signed_and_without_source_or_hidden_data()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.DownAsync();
        var endpoint = await RegisterAsync(receiver.Url, WebhookEventTypes.All);
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);

        var assignment = $"hooks-{Guid.NewGuid():N}"[..20];
        await app.SeedAssignmentAsync(assignment, GraderApp.Manifest(assignment), publish: false);
        (await _instructor.PostAsync($"/api/instructor/assignments/{assignment}/publish", null)).EnsureSuccessStatusCode();
        var reference = TestPackages.Text(Id, "reference.csx");
        var graded = await student.WaitForResultAsync((await student.SubmitAsync(Id, reference)).Id);
        Assert.Equal(10, graded.Score);

        // Down: every delivery fails at least once and stays queued.
        var pending = await WaitForDeliveriesAsync(endpoint.Endpoint.Id, all => all.Length >= 3 && all.All(d => d.Attempts >= 2));
        Assert.All(pending, d => Assert.Equal("Pending", d.Status));
        Assert.All(pending, d => Assert.All(d.AttemptLog, a => Assert.Null(a.StatusCode)));
        Assert.All(pending, d => Assert.False(string.IsNullOrEmpty(d.LastError)));

        await receiver.UpAsync();
        var delivered = await WaitForDeliveriesAsync(endpoint.Endpoint.Id, all => all.Length >= 3 && all.All(d => d.Status == "Delivered"));

        var received = receiver.Received.ToArray();
        foreach (var delivery in delivered)
        {
            var copies = received.Where(r => r.Id == delivery.MessageId).ToArray();
            Assert.NotEmpty(copies);
            Assert.All(copies, r => Assert.True(r.SignedWith(endpoint.Secret), $"bad signature on {delivery.EventType}"));
            Assert.All(copies, r => Assert.InRange(long.Parse(r.Timestamp, System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5));
            Assert.Equal(204, delivery.AttemptLog[^1].StatusCode);
            Assert.True(delivery.AttemptLog.Length >= 3, "two failed attempts and the delivered one");
        }
        var types = received.Where(r => delivered.Any(d => d.MessageId == r.Id)).Select(r => r.Type).ToHashSet();
        Assert.Superset(new HashSet<string> { WebhookEventTypes.AssignmentPublished, WebhookEventTypes.SubmissionGraded, WebhookEventTypes.GradeChanged }, types);

        var gradedEvent = received.First(r => r.Type == WebhookEventTypes.SubmissionGraded && r.Json.GetProperty("data").GetProperty("submissionId").GetGuid() == graded.Id).Json;
        var data = gradedEvent.GetProperty("data");
        Assert.Equal(1, gradedEvent.GetProperty("version").GetInt32());
        Assert.Equal(10, data.GetProperty("score").GetDouble());
        Assert.Equal(10, data.GetProperty("maxScore").GetDouble());
        Assert.Equal(user.ExternalId, data.GetProperty("student").GetProperty("externalId").GetString());
        Assert.EndsWith($"/api/submissions/{graded.Id}", data.GetProperty("reportUrl").GetString(), StringComparison.Ordinal);
        foreach (var body in received.Select(r => Encoding.UTF8.GetString(r.Body)))
        {
            Assert.DoesNotContain("=> a + b", body, StringComparison.Ordinal); // the source
            Assert.DoesNotContain("4321", body, StringComparison.Ordinal); // a hidden case's input
            Assert.DoesNotContain("98765", body, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET-HINT", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_system_failure_sends_submission_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.SubmissionFailed, WebhookEventTypes.SubmissionGraded]);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        // A stored package with no reference solution: grading it fails every time, whatever the code.
        var broken = $"broken-{Guid.NewGuid():N}"[..20];
        await app.SeedAssignmentAsync(broken, GraderApp.Manifest(broken));

        var result = await student.WaitForResultAsync((await student.SubmitAsync(broken, "double[] Solve(double[,] a, double[] b) => b;")).Id);

        Assert.Equal("Failed", result.Status);
        await WaitForDeliveriesAsync(endpoint.Endpoint.Id, all => all.Any(d => d.Status == "Delivered"));
        var failed = receiver.Received.Select(r => r.Json).Single(j => j.GetProperty("data").GetProperty("submissionId").GetGuid() == result.Id);
        Assert.Equal(WebhookEventTypes.SubmissionFailed, failed.GetProperty("type").GetString());
        Assert.Equal(broken, failed.GetProperty("data").GetProperty("assignmentId").GetString());
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_and_after_the_overlap_only_the_new_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.AssignmentPublished]);

        var rotated = await (await _instructor.PostAsJsonAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}/rotate-secret", new { overlapHours = 1 }))
            .ReadAsync<EndpointSecretView>();
        var first = await PublishAndReceiveAsync(receiver);
        var again = await (await _instructor.PostAsJsonAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}/rotate-secret", new { overlapHours = 0 }))
            .ReadAsync<EndpointSecretView>();
        var second = await PublishAndReceiveAsync(receiver);

        Assert.NotEqual(endpoint.Secret, rotated.Secret);
        Assert.NotNull(rotated.Endpoint.PreviousSecretValidUntil);
        Assert.Equal(2, first.Signature.Split(' ').Length);
        Assert.True(first.SignedWith(rotated.Secret));
        Assert.True(first.SignedWith(endpoint.Secret));
        Assert.Single(second.Signature.Split(' '));
        Assert.True(second.SignedWith(again.Secret));
        Assert.False(second.SignedWith(rotated.Secret));
    }

    [Fact]
    public async Task Grade_changed_is_sent_only_when_the_effective_grade_changes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.GradeChanged, WebhookEventTypes.SubmissionGraded]);
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);
        var reference = TestPackages.Text(Id, "reference.csx");
        var worse = reference.Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal);

        var full = await student.WaitForResultAsync((await student.SubmitAsync(Id, reference)).Id);
        var partial = await student.WaitForResultAsync((await student.SubmitAsync(Id, worse)).Id);
        await WaitForDeliveriesAsync(endpoint.Endpoint.Id, all => all.Count(d => Mentions(d, partial.Id)) == 1 && all.All(d => d.Status == "Delivered"));

        // Under the best policy the worse resubmission changes nothing: one grade.changed, for the first.
        var changes = GradeChanges(receiver, user.Id);
        Assert.Equal(10, full.Score);
        Assert.Equal(4, partial.Score);
        var only = Assert.Single(changes);
        Assert.Equal(10, only.GetProperty("score").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, only.GetProperty("previousScore").ValueKind);
        Assert.Equal(2, receiver.Received.Count(r => r.Type == WebhookEventTypes.SubmissionGraded
            && r.Json.GetProperty("data").GetProperty("student").GetProperty("id").GetGuid() == user.Id));

        // Switching to the last submission does change it: 10 -> 4.
        (await _instructor.PutAsJsonAsync($"/api/instructor/assignments/{Id}/settings", new { scorePolicy = "last" })).EnsureSuccessStatusCode();
        try
        {
            await WaitUntilAsync(() => Task.FromResult(GradeChanges(receiver, user.Id).Count == 2));
            var change = GradeChanges(receiver, user.Id)[1];
            Assert.Equal(4, change.GetProperty("score").GetDouble());
            Assert.Equal(10, change.GetProperty("previousScore").GetDouble());
        }
        finally
        {
            (await _instructor.PutAsJsonAsync($"/api/instructor/assignments/{Id}/settings", new { scorePolicy = "best" })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task An_endpoint_failing_for_long_is_disabled_with_its_reason_and_catches_up_when_enabled_and_redelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.DownAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.AssignmentPublished]);
        var assignment = $"dis-{Guid.NewGuid():N}"[..20];
        await app.SeedAssignmentAsync(assignment, GraderApp.Manifest(assignment), publish: false);
        (await _instructor.PostAsync($"/api/instructor/assignments/{assignment}/publish", null)).EnsureSuccessStatusCode();

        EndpointView view = null!;
        await WaitUntilAsync(async () =>
        {
            view = await (await _instructor.GetAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}")).ReadAsync<EndpointView>();
            return !view.Enabled;
        }, seconds: 60);
        Assert.Contains("failed", view.DisabledReason, StringComparison.Ordinal);
        Assert.True(view.FailureStreak >= 3);
        var stuck = (await DeliveriesAsync(endpoint.Endpoint.Id)).Single(d => Mentions(d, assignment));
        var attemptsWhenDisabled = stuck.Attempts;
        await Task.Delay(1000);
        Assert.Equal(attemptsWhenDisabled, (await DeliveriesAsync(endpoint.Endpoint.Id)).Single(d => d.Id == stuck.Id).Attempts);

        await receiver.UpAsync();
        (await _instructor.PatchAsJsonAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}", new { enabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Accepted,
            (await _instructor.PostAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}/deliveries/{stuck.Id}/redeliver", null)).StatusCode);

        var done = (await WaitForDeliveriesAsync(endpoint.Endpoint.Id, all => all.Single(d => d.Id == stuck.Id).Status == "Delivered")).Single(d => d.Id == stuck.Id);
        var copy = receiver.Received.First(r => r.Id == stuck.MessageId);
        Assert.True(copy.SignedWith(endpoint.Secret));
        Assert.Equal(204, done.AttemptLog[^1].StatusCode);
        var enabled = await (await _instructor.GetAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}")).ReadAsync<EndpointView>();
        Assert.True(enabled.Enabled);
        Assert.Equal(0, enabled.FailureStreak);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_does_not_hold_up_grading()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMinutes(5);
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.SubmissionGraded, WebhookEventTypes.GradeChanged]);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var reference = TestPackages.Text(Id, "reference.csx");

        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var accepted = new List<Guid>();
            for (int i = 0; i < 6; i++)
            {
                accepted.Add((await student.SubmitAsync(Id, reference + $"\n// attempt {i}\n")).Id);
            }
            foreach (var id in accepted)
            {
                Assert.Equal("Graded", (await student.WaitForResultAsync(id, maxSeconds: 60)).Status);
            }
            var graded = clock.Elapsed;

            // Every graded submission has its events queued, none delivered: the receiver holds each
            // attempt until the 2 s timeout, and is then retried.
            var deliveries = await DeliveriesAsync(endpoint.Endpoint.Id);
            Assert.True(deliveries.Count(d => d.EventType == WebhookEventTypes.SubmissionGraded) >= 6);
            Assert.DoesNotContain(deliveries, d => d.Status == "Delivered");
            Assert.True(graded < TimeSpan.FromSeconds(45), $"grading took {graded.TotalSeconds:0.0} s");
            await WaitForDeliveriesAsync(endpoint.Endpoint.Id,
                all => all.SelectMany(d => d.AttemptLog).Any(a => a.Error?.Contains("no response within", StringComparison.Ordinal) == true), seconds: 30);
        }
        finally
        {
            // A receiver that never answers would hold the dispatcher's senders for the other tests.
            await _instructor.DeleteAsync($"/api/instructor/webhooks/{endpoint.Endpoint.Id}");
        }
    }

    [Theory]
    [InlineData("http://10.0.0.5/hook", "url")]
    [InlineData("http://169.254.169.254/latest/meta-data", "url")]
    [InlineData("http://192.168.1.10:8080/hook", "url")]
    [InlineData("not a url", "url")]
    public async Task Registering_an_internal_or_malformed_url_is_refused_with_what_to_fix(string url, string field)
    {
        var response = await _instructor.PostAsJsonAsync("/api/instructor/webhooks", new { url, eventTypes = new[] { "grade.changed" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Registering_an_unknown_event_type_is_refused_and_students_cannot_register_at_all()
    {
        var unknown = await _instructor.PostAsJsonAsync("/api/instructor/webhooks", new { url = "http://127.0.0.1:9/x", eventTypes = new[] { "grade.updated" } });
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var forbidden = await student.PostAsJsonAsync("/api/instructor/webhooks", new { url = "http://127.0.0.1:9/x", eventTypes = new[] { "grade.changed" } });

        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("grade.changed", problem.GetProperty("errors").GetProperty("eventTypes")[0].GetString(), StringComparison.Ordinal);
        await forbidden.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_management_requests_get_problem_details_that_say_what_to_fix()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.GradeChanged]);
        var id = endpoint.Endpoint.Id;
        var unknown = Guid.NewGuid();

        var badPatch = await _instructor.PatchAsJsonAsync($"/api/instructor/webhooks/{id}", new { url = "http://10.1.1.1/x", eventTypes = Array.Empty<string>() });
        var badOverlap = await _instructor.PostAsJsonAsync($"/api/instructor/webhooks/{id}/rotate-secret", new { overlapHours = 500 });
        var badStatus = await _instructor.GetAsync($"/api/instructor/webhooks/{id}/deliveries?status=Lost");
        var badLimit = await _instructor.GetAsync($"/api/instructor/webhooks/{id}/deliveries?limit=0");
        var missingUrl = await _instructor.PostAsJsonAsync("/api/instructor/webhooks", new { eventTypes = new[] { "grade.changed" } });
        var notJson = await _instructor.PostAsync("/api/instructor/webhooks", new StringContent("{url:", Encoding.UTF8, "application/json"));

        var patchProblem = await badPatch.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(patchProblem.GetProperty("errors").TryGetProperty("url", out _));
        Assert.True(patchProblem.GetProperty("errors").TryGetProperty("eventTypes", out _));
        Assert.True((await badOverlap.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("overlapHours", out _));
        await badStatus.AssertProblemAsync(HttpStatusCode.BadRequest);
        await badLimit.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await missingUrl.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("url", out _));
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _instructor.GetAsync($"/api/instructor/webhooks/{unknown}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _instructor.PatchAsJsonAsync($"/api/instructor/webhooks/{unknown}", new { enabled = true })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _instructor.DeleteAsync($"/api/instructor/webhooks/{unknown}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _instructor.GetAsync($"/api/instructor/webhooks/{unknown}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _instructor.PostAsync($"/api/instructor/webhooks/{id}/deliveries/{unknown}/redeliver", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        // Nothing was changed by the refused requests, and a rotation without a body takes the default overlap.
        var unchanged = await (await _instructor.GetAsync($"/api/instructor/webhooks/{id}")).ReadAsync<EndpointView>();
        Assert.Equal(receiver.Url, unchanged.Url);
        Assert.Null(unchanged.PreviousSecretValidUntil);
        var rotated = await (await _instructor.PostAsync($"/api/instructor/webhooks/{id}/rotate-secret", null)).ReadAsync<EndpointSecretView>();
        Assert.InRange(rotated.Endpoint.PreviousSecretValidUntil!.Value, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_stored_encrypted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await RegisterAsync(receiver.Url, [WebhookEventTypes.GradeChanged]);

        var listed = await (await _instructor.GetAsync("/api/instructor/webhooks")).Content.ReadAsStringAsync();
        var stored = await app.ScalarAsync<byte[]>("SELECT secret FROM webhook_endpoints WHERE id = $1", endpoint.Endpoint.Id);

        Assert.DoesNotContain(endpoint.Secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], Encoding.UTF8.GetString(stored!), StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], Convert.ToBase64String(stored!), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(endpoint.Secret["whsec_".Length..], StringComparison.Ordinal));
    }

    private async Task<EndpointSecretView> RegisterAsync(string url, string[] eventTypes)
    {
        var response = await _instructor.PostAsJsonAsync("/api/instructor/webhooks", new { url, eventTypes, description = "test receiver" });
        return await response.ReadAsync<EndpointSecretView>(HttpStatusCode.Created);
    }

    private async Task<ReceivedWebhook> PublishAndReceiveAsync(WebhookReceiver receiver)
    {
        var assignment = $"rot-{Guid.NewGuid():N}"[..20];
        await app.SeedAssignmentAsync(assignment, GraderApp.Manifest(assignment), publish: false);
        (await _instructor.PostAsync($"/api/instructor/assignments/{assignment}/publish", null)).EnsureSuccessStatusCode();
        ReceivedWebhook? found = null;
        await WaitUntilAsync(() =>
        {
            found = receiver.Received.FirstOrDefault(r => r.Json.GetProperty("data").GetProperty("assignmentId").GetString() == assignment);
            return Task.FromResult(found is not null);
        });
        return found!;
    }

    private static bool Mentions(DeliveryView delivery, object value) => delivery.Payload.GetRawText().Contains(value.ToString()!, StringComparison.Ordinal);

    private static List<System.Text.Json.JsonElement> GradeChanges(WebhookReceiver receiver, Guid studentId) =>
        receiver.Received.Where(r => r.Type == WebhookEventTypes.GradeChanged)
            .Select(r => r.Json.GetProperty("data"))
            .Where(d => d.GetProperty("student").GetProperty("id").GetGuid() == studentId)
            .OrderBy(d => d.GetProperty("previousScore").ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : 1)
            .ToList();

    private async Task<DeliveryView[]> DeliveriesAsync(Guid endpointId) =>
        await (await _instructor.GetAsync($"/api/instructor/webhooks/{endpointId}/deliveries")).ReadAsync<DeliveryView[]>();

    private async Task<DeliveryView[]> WaitForDeliveriesAsync(Guid endpointId, Func<DeliveryView[], bool> condition, int seconds = 60)
    {
        DeliveryView[] deliveries = [];
        await WaitUntilAsync(async () => condition(deliveries = await DeliveriesAsync(endpointId)), seconds);
        return deliveries;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s");
            await Task.Delay(100);
        }
    }
}
