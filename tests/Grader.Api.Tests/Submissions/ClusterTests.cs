using System.Text;
using Grader.Api.Auth;
using Grader.Api.Submissions;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Submissions;

/// <summary>
/// Several nodes on one PostgreSQL: this test host is the API node, and worker nodes are separate
/// processes of the built service, so one can be killed like a crashed machine.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(GraderApp app) : IClassFixture<GraderApp>
{
    private const string Package = "api-sums";

    private async Task<HttpClient> PublishAsync(string id)
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var files = TestPackages.Files(Package);
        files["assignment.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["assignment.json"]).Replace($"\"{Package}\"", $"\"{id}\"", StringComparison.Ordinal));
        // The worker nodes start after this: the fixture records the validation they would run.
        await instructor.UploadAsync(TestPackages.Zip(files));
        await app.PassValidationAsync(id);
        (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish", null)).EnsureSuccessStatusCode();
        return instructor;
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Two_worker_nodes_grade_200_submissions_exactly_once()
    {
        const string id = "cluster-200";
        await PublishAsync(id);
        await using var nodeA = NodeProcess.Start(app.ConnectionString, "worker", "node-a");
        await using var nodeB = NodeProcess.Start(app.ConnectionString, "worker", "node-b");
        await WaitForAsync(async () => await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE id LIKE 'node-a:%' OR id LIKE 'node-b:%'") == 2,
            TimeSpan.FromSeconds(90), () => $"Workers did not join the cluster.\nA:\n{nodeA.Output}\nB:\n{nodeB.Output}");

        var sources = new[]
        {
            (Source: TestPackages.Text(Package, "reference.csx"), Score: 10d),
            (Source: TestPackages.Text(Package, "starter.csx"), Score: 0d),
            (Source: TestPackages.Text(Package, "reference.csx").Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal), Score: 4d),
        };
        var students = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.CreateUserAsync(Roles.Student)));
        var expected = new Dictionary<Guid, double>();
        foreach (var round in Enumerable.Range(0, 10))
        {
            var accepted = await Task.WhenAll(students.Select((s, i) => s.Client.SubmitAsync(id, sources[(i + round) % 3].Source + $"\n// {round}\n")));
            for (var i = 0; i < accepted.Length; i++)
            {
                expected[accepted[i].Id] = sources[(i + round) % 3].Score;
            }
        }

        await WaitForAsync(async () => await app.ScalarAsync<long>(
                "SELECT count(*) FROM submissions WHERE assignment_id = $1 AND status NOT IN ('Queued', 'Running')", id) == 200,
            TimeSpan.FromSeconds(300), () => $"Not all graded.\nA:\n{nodeA.Output}\nB:\n{nodeB.Output}");

        await using var command = app.Db.CreateCommand("SELECT id, status, score, attempts, worker, report::text FROM submissions WHERE assignment_id = $1");
        command.Parameters.Add(new() { Value = id });
        var rows = new List<(Guid Id, string Status, double Score, int Attempts, string Worker)>();
        var reports = new Dictionary<Guid, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetDouble(2), reader.GetInt32(3), reader.GetString(4)));
                reports[reader.GetGuid(0)] = reader.GetString(5);
            }
        }
        Assert.Equal(200, rows.Count);
        Assert.All(rows, r => Assert.True(SubmissionStates.Parse(r.Status).IsFinished() && r.Status != nameof(SubmissionState.Failed), r.ToString()));
        // Exactly once: each submission's result was stored by one job run on one node. (A job that hit
        // an infrastructure failure is retried and then counts more attempts, but still one result.)
        var results = nodeA.Lines.Concat(nodeB.Lines).Where(l => l.Contains("\"Submission {SubmissionId} for {Assignment}", StringComparison.Ordinal)).ToList();
        Assert.All(rows, r => Assert.Single(results, l => l.Contains(r.Id.ToString(), StringComparison.Ordinal)));
        // Scores are right, except where the engine lost a runner or compile process under this load (a
        // ProcessEnded runtime error, or a refusal with a GRD diagnostic: engine matters): those must be rare.
        var wrong = rows.Where(r => r.Score != expected[r.Id] || r.Status != nameof(SubmissionState.Graded)).ToList();
        Assert.All(wrong, r => Assert.True(
            reports[r.Id].Contains("\"errorType\": \"ProcessEnded\"", StringComparison.Ordinal) || reports[r.Id].Contains("\"id\": \"GRD", StringComparison.Ordinal),
            $"{r} expected {expected[r.Id]}: {reports[r.Id]}"));
        Assert.True(wrong.Count <= 4, $"{wrong.Count} results differ from the expected ones.");
        Assert.Equal(["node-a", "node-b"], rows.Select(r => r.Worker).Distinct().Order(StringComparer.Ordinal).ToArray());
        // A job leaves the queue only after its result is committed (at-least-once: a crash in between
        // runs it again, and the run finds it finished), so the last few may still be on their way out.
        await WaitForAsync(async () => await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE queue = 'grade'") == 0,
            TimeSpan.FromSeconds(30), () => $"Jobs were left in the queue.\nA:\n{nodeA.Output}\nB:\n{nodeB.Output}");
        Assert.Equal(20L, await app.ScalarAsync<long>("SELECT count(*) FROM grades WHERE assignment_id = $1", id));
    }

    // Long polling: a job enqueued on this API-only node wakes an idle worker in another process
    // through LISTEN/NOTIFY, without waiting for a poll (Queue:PollInterval is 5 s).
    [Fact]
    public async Task A_job_enqueued_on_an_api_node_starts_on_an_idle_worker_at_once()
    {
        const string id = "cluster-wake";
        await PublishAsync(id);
        await using var worker = NodeProcess.Start(app.ConnectionString, "worker", "waker");
        await WaitForAsync(async () => await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE id LIKE 'waker:%'") == 1,
            TimeSpan.FromSeconds(90), () => $"The worker did not start.\n{worker.Output}");
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        // The first grade of a package computes its expected outputs; not part of the wake-up.
        await student.WaitForResultAsync((await student.SubmitAsync(id, TestPackages.Text(Package, "reference.csx"))).Id);

        var waits = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(1500); // idle: every worker is waiting for a job
            var accepted = await student.SubmitAsync(id, TestPackages.Text(Package, "reference.csx") + $"\n// {i}\n");
            await student.WaitForResultAsync(accepted.Id);
            waits.Add(await app.ScalarAsync<double>(
                "SELECT extract(epoch FROM started_at - queued_at)::float8 * 1000 FROM submissions WHERE id = $1", accepted.Id));
        }
        waits.Sort();
        Assert.True(waits[2] < 500, $"Queued → Running took {string.Join(", ", waits.Select(w => $"{w:F0} ms"))}.");
    }

    [Fact]
    public async Task Jobs_of_a_node_killed_mid_grade_finish_on_another_node_within_30_seconds()
    {
        const string id = "cluster-kill";
        await PublishAsync(id);
        // Correct but slow: a few seconds of arithmetic per submission, so some are caught mid-grade.
        var slow = TestPackages.Text(Package, "reference.csx").Replace(
            "double Add(double a, double b) => a + b;",
            "double Add(double a, double b) { double x = 0; for (long i = 0; i < 30_000_000; i++) { x += i * 1e-9; } return x < 0 ? 0 : a + b; }",
            StringComparison.Ordinal);
        // One submission per student: a student's submissions are graded one at a time.
        var students = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.CreateUserAsync(Roles.Student)));

        const string doomedId = "doomed";
        await using var doomed = NodeProcess.Start(app.ConnectionString, "worker", doomedId, runners: 2);
        await using var survivor = NodeProcess.Start(app.ConnectionString, "worker", "survivor", runners: 2);
        await WaitForAsync(async () => await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE id LIKE 'doomed:%' OR id LIKE 'survivor:%'") == 2,
            TimeSpan.FromSeconds(90), () => $"The workers did not start.\n{doomed.Output}\n{survivor.Output}");
        var ids = new List<Guid>();
        foreach (var (student, i) in students.Select((s, i) => (s.Client, i)))
        {
            ids.Add((await student.SubmitAsync(id, slow + $"\n// {i}\n")).Id);
        }
        await WaitForAsync(async () => await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE status = 'Running' AND worker = $1", doomedId) > 0,
            TimeSpan.FromSeconds(90), () => $"Nothing started on the first worker.\n{doomed.Output}");
        var interrupted = new List<Guid>();
        await using (var running = app.Db.CreateCommand("SELECT id FROM submissions WHERE status = 'Running' AND worker = $1"))
        {
            running.Parameters.Add(new() { Value = doomedId });
            await using var reader = await running.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                interrupted.Add(reader.GetGuid(0));
            }
        }
        doomed.Kill();
        var killedAt = DateTime.UtcNow;

        await WaitForAsync(async () => await app.ScalarAsync<long>(
                "SELECT count(*) FROM submissions WHERE id = ANY ($1) AND status NOT IN ('Queued', 'Running')", interrupted.ToArray()) == interrupted.Count,
            TimeSpan.FromSeconds(30), () => $"The interrupted submissions did not finish within 30 s of the kill.\nSurvivor:\n{survivor.Output}");
        var recovered = DateTime.UtcNow - killedAt;
        await WaitForAsync(async () => await app.ScalarAsync<long>(
                "SELECT count(*) FROM submissions WHERE assignment_id = $1 AND status NOT IN ('Queued', 'Running')", id) == ids.Count,
            TimeSpan.FromSeconds(120), () => $"Not all finished after the kill.\nSurvivor:\n{survivor.Output}");

        Assert.NotEmpty(interrupted);
        Assert.True(recovered < TimeSpan.FromSeconds(30), $"Recovered in {recovered.TotalSeconds:F1} s.");
        Assert.Equal(ids.Count, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE assignment_id = $1 AND status = 'Graded' AND score = 10", id));
        // The ones interrupted by the kill were graded again from the start on the survivor.
        Assert.Equal(interrupted.Count, await app.ScalarAsync<long>(
            "SELECT count(*) FROM submissions WHERE id = ANY ($1) AND attempts >= 2 AND worker = 'survivor'", interrupted.ToArray()));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE assignment_id = $1 AND worker = $2", id, doomedId));
    }
}
