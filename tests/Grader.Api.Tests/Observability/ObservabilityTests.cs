using System.Net;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Tests.Web;

namespace Grader.Api.Tests.Observability;

/// <summary>/metrics, the queue dashboard's access rules, and what a request's log event holds.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ObservabilityTests(GraderApp app) : IClassFixture<GraderApp>
{
    private HttpClient Browser() => PageSession.Open(app).Client;

    // Signs in on the page with an API key, as a person would, and keeps the session cookie.
    private async Task<HttpClient> SignedInAsync(string key)
    {
        var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        return browser.Client;
    }

    [Fact]
    public async Task Metrics_are_served_in_Prometheus_text_format()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        await app.SeedAssignmentAsync("metrics-basic", GraderApp.Manifest("metrics-basic"));
        await student.SubmitAsync("metrics-basic", "// x");

        var response = await app.CreateClient().GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("grader_submissions_received_total", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE grader_queue_depth gauge", body, StringComparison.Ordinal);
        Assert.Contains("grader_queue_oldest_age_seconds", body, StringComparison.Ordinal);
        Assert.Contains("grader_webhooks_backlog", body, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics-basic", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_dashboard_is_for_signed_in_instructors_only()
    {
        var anonymous = await Browser().GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/sign-in", anonymous.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        var (_, _, studentKey) = await app.CreateUserAsync(Roles.Student);
        var student = await (await SignedInAsync(studentKey)).GetAsync("/hangfire");
        Assert.NotEqual(HttpStatusCode.OK, student.StatusCode);

        // An API key alone does not open it: the dashboard is a page, behind the session cookie.
        var (_, _, instructorKey) = await app.CreateUserAsync(Roles.Instructor);
        var keyOnly = Browser();
        keyOnly.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", instructorKey);
        Assert.Equal(HttpStatusCode.Redirect, (await keyOnly.GetAsync("/hangfire")).StatusCode);

        var instructor = await SignedInAsync(instructorKey);
        var dashboard = await instructor.GetAsync("/hangfire");
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Grader queue", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Password", html, StringComparison.OrdinalIgnoreCase);
        // Read-only unless Queue:DashboardActions is set: the waiting jobs are listed without the
        // buttons that requeue or delete them.
        await app.SeedAssignmentAsync("dashboard-basic", GraderApp.Manifest("dashboard-basic"));
        var (student2, _, _) = await app.CreateUserAsync(Roles.Student);
        var queued = await student2.SubmitAsync("dashboard-basic", "// x");
        var jobId = await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", queued.Id);
        var enqueued = await (await instructor.GetAsync("/hangfire/jobs/enqueued/grade")).Content.ReadAsStringAsync();
        Assert.Contains($"/hangfire/jobs/details/{jobId}", enqueued, StringComparison.Ordinal);
        Assert.DoesNotContain("js-jobs-list-command", enqueued, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_is_logged_once_by_route_template_without_its_path()
    {
        const string token = "NotARealTokenButLongEnough1234567890abcdef";
        await Browser().GetAsync($"/sign-in/{token}");

        var lines = app.Logs.Lines.Where(l => l.Contains("HTTP", StringComparison.Ordinal) && l.Contains("/sign-in/{", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.Contains("StatusCode=", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }
}
