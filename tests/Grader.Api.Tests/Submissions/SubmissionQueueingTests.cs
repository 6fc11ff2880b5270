using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Submissions;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Grader.Api.Tests.Submissions;

/// <summary>Submitting on an API-only node: the row is stored Queued and its Hangfire job is waiting for a worker.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubmissionQueueingTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task A_submission_is_stored_as_queued_and_its_job_is_scheduled()
    {
        await app.SeedAssignmentAsync("queue-basic", GraderApp.Manifest("queue-basic"));
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);

        var response = await student.PostAsync("/api/assignments/queue-basic/submissions", new StringContent("double[] Solve(double[,] a, double[] b) => b;", Encoding.UTF8, "text/plain"));

        var accepted = await response.ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        Assert.Equal($"/api/submissions/{accepted.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Queued", await app.ScalarAsync<string>("SELECT status FROM submissions WHERE id = $1", accepted.Id));
        Assert.Equal(user.Id, await app.ScalarAsync<Guid>("SELECT student_id FROM submissions WHERE id = $1", accepted.Id));
        // One job per submission, on the grading queue, carrying only its id (the other two
        // arguments are filled in by Hangfire when the job runs).
        var jobId = await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", accepted.Id);
        Assert.NotNull(jobId);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE jobid = $1 AND queue = 'grade'", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal($"[\"\\\"{accepted.Id}\\\"\", null, null]", await app.ScalarAsync<string>(
            "SELECT arguments::text FROM hangfire.job WHERE id = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)));

        var view = await (await student.GetAsync(response.Headers.Location)).ReadAsync<SubmissionView>();
        Assert.Equal("Queued", view.Status);
        Assert.Null(view.Report);
    }

    [Fact]
    public async Task Source_is_accepted_as_plain_text_json_or_a_multipart_file()
    {
        await app.SeedAssignmentAsync("queue-bodies", GraderApp.Manifest("queue-bodies"));
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        const string source = "double[] Solve(double[,] a, double[] b) => b; // é";

        var json = await student.PostAsJsonAsync("/api/assignments/queue-bodies/submissions", new { source });
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(source)), "file", "solution.csx" } };
        var multipart = await student.PostAsync("/api/assignments/queue-bodies/submissions", form);
        var text = await student.PostAsync("/api/assignments/queue-bodies/submissions", new StringContent(source, Encoding.UTF8, "text/plain"));

        foreach (var response in new[] { json, multipart, text })
        {
            var accepted = await response.ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
            Assert.Equal(source, await app.ScalarAsync<string>("SELECT source FROM submissions WHERE id = $1", accepted.Id));
        }
    }

    [Fact]
    public async Task Resubmitting_with_the_same_idempotency_key_returns_the_first_submission()
    {
        await app.SeedAssignmentAsync("queue-idem", GraderApp.Manifest("queue-idem"));
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);

        async Task<HttpResponseMessage> Send(string source, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/assignments/queue-idem/submissions")
            {
                Content = new StringContent(source, Encoding.UTF8, "text/plain"),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await student.SendAsync(request);
        }

        var first = await (await Send("// one", "key-1")).ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        var again = await (await Send("// one", "key-1")).ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        var other = await (await Send("// two", "key-2")).ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        var conflict = await Send("// changed", "key-1");

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Contains("Idempotency-Key", (await conflict.AssertProblemAsync(HttpStatusCode.UnprocessableEntity)).Detail(), StringComparison.Ordinal);
        Assert.Equal(2L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", user.Id));
        // One student's submissions are graded one at a time: the first has its job, the second waits its turn.
        Assert.NotNull(await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", first.Id));
        Assert.Null(await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", other.Id));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1 AND dispatched_at IS NOT NULL", user.Id));
    }

    [Fact]
    public async Task Concurrent_submissions_never_exceed_the_limit()
    {
        await app.SeedAssignmentAsync("queue-limit-race", GraderApp.Manifest("queue-limit-race"));
        await app.ExecuteAsync("UPDATE assignments SET max_submissions = 3 WHERE id = 'queue-limit-race'");
        var (student, user, _) = await app.CreateUserAsync(Roles.Student);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            student.PostAsync("/api/assignments/queue-limit-race/submissions", new StringContent($"// attempt {i}", Encoding.UTF8, "text/plain"))));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", user.Id));
    }

    [Fact]
    public async Task A_long_poll_returns_the_current_state_when_the_wait_runs_out()
    {
        await app.SeedAssignmentAsync("queue-wait", GraderApp.Manifest("queue-wait"));
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var accepted = await (await student.PostAsync("/api/assignments/queue-wait/submissions", new StringContent("// x", Encoding.UTF8, "text/plain")))
            .ReadAsync<AcceptedView>(HttpStatusCode.Accepted);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var view = await (await student.GetAsync($"/api/submissions/{accepted.Id}?wait=1")).ReadAsync<SubmissionView>();

        Assert.Equal("Queued", view.Status);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        await (await student.GetAsync($"/api/submissions/{accepted.Id}?wait=31")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private QueueSweeper Sweeper() => ActivatorUtilities.CreateInstance<QueueSweeper>(app.Services);

    private async Task<HttpClient> StudentWithOneSubmissionAsync(string assignment, Func<Guid, Task> arrange, Action<Guid> keep)
    {
        await app.SeedAssignmentAsync(assignment, GraderApp.Manifest(assignment));
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var accepted = await (await student.PostAsync($"/api/assignments/{assignment}/submissions", new StringContent("// x", Encoding.UTF8, "text/plain")))
            .ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        keep(accepted.Id);
        await arrange(accepted.Id);
        return student;
    }

    [Fact]
    public async Task A_dispatched_submission_whose_job_was_never_created_gets_one()
    {
        var id = Guid.Empty;
        await StudentWithOneSubmissionAsync("queue-orphan", async s =>
        {
            // As if the node had died between committing the dispatch and creating the job.
            await app.ExecuteAsync("DELETE FROM hangfire.jobqueue WHERE jobid = (SELECT job_id::bigint FROM submissions WHERE id = $1)", s);
            await app.ExecuteAsync("UPDATE submissions SET job_id = NULL, dispatched_at = now() - interval '1 hour' WHERE id = $1", s);
        }, s => id = s);

        await Sweeper().SweepAsync(CancellationToken.None);

        var jobId = await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", id);
        Assert.NotNull(jobId);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE jobid = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_submission_whose_job_was_deleted_is_dispatched_again()
    {
        var id = Guid.Empty;
        string? deleted = null;
        await StudentWithOneSubmissionAsync("queue-deleted", async s =>
        {
            deleted = await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", s);
            // Deleted from the dashboard, say: the job is gone, the submission is not finished.
            Assert.True(Hangfire.BackgroundJobClientExtensions.Delete(app.Services.GetRequiredService<Hangfire.IBackgroundJobClient>(), deleted));
            await app.ExecuteAsync("UPDATE submissions SET dispatched_at = now() - interval '1 hour' WHERE id = $1", s);
        }, s => id = s);

        await Sweeper().SweepAsync(CancellationToken.None);

        var jobId = await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", id);
        Assert.NotNull(jobId);
        Assert.NotEqual(deleted, jobId);
        Assert.Equal("Queued", await app.ScalarAsync<string>("SELECT status FROM submissions WHERE id = $1", id));
    }

    [Fact]
    public async Task A_lane_left_without_a_head_is_dispatched_by_the_sweeper()
    {
        var id = Guid.Empty;
        await StudentWithOneSubmissionAsync("queue-stalled", s =>
            // A regrade interrupted between moving submissions back to Queued and dispatching them.
            app.ExecuteAsync("UPDATE submissions SET job_id = NULL, dispatched_at = NULL WHERE id = $1", s), s => id = s);

        await Sweeper().SweepAsync(CancellationToken.None);

        Assert.NotNull(await app.ScalarAsync<string>("SELECT job_id FROM submissions WHERE id = $1", id));
    }

    [Fact]
    public async Task The_queue_table_is_reanalysed_often_enough_for_a_deadline_rush()
    {
        var options = await app.ScalarAsync<string[]>("SELECT reloptions FROM pg_class WHERE oid = 'hangfire.jobqueue'::regclass");
        Assert.Contains("autovacuum_analyze_threshold=1000", options!);
        Assert.Contains("autovacuum_analyze_scale_factor=0", options!);
    }
}
