using System.Net;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Submissions;

/// <summary>
/// One student cannot hold every grading slot: their submissions are graded one at a time, in the
/// order they were sent, while other students' submissions start at once on the other slots.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueFairnessTests(QueueFairnessTests.TwoRunnerWorker app) : IClassFixture<QueueFairnessTests.TwoRunnerWorker>
{
    private const string Id = "api-sums";

    public sealed class TwoRunnerWorker : WorkerApp
    {
        public TwoRunnerWorker() => With("Grading:RunnerPoolSize", "2");
    }

    [Fact]
    public async Task A_student_with_ten_hostile_submissions_holds_one_slot_and_another_student_starts_at_once()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        await instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(Id)));
        var (hostile, hostileUser, _) = await app.CreateUserAsync(Roles.Student);
        var (other, _, _) = await app.CreateUserAsync(Roles.Student);
        // Every case runs into its wall limit: each submission uses its whole budget.
        var endless = TestPackages.Text(Id, "reference.csx").Replace(
            "double Add(double a, double b) => a + b;", "double Add(double a, double b) { while (a == a) { } return a + b; }", StringComparison.Ordinal);
        Assert.NotEqual(TestPackages.Text(Id, "reference.csx"), endless);

        var hostileIds = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            hostileIds.Add((await hostile.SubmitAsync(Id, endless + $"\n// {i}\n")).Id);
        }
        var correct = await other.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"));
        var result = await other.WaitForResultAsync(correct.Id, maxSeconds: 60);

        Assert.Equal("Graded", result.Status);
        Assert.Equal(10, result.Score);
        // Within one submission budget (the package's submissionWallMs is 10 s) of being queued.
        Assert.True(result.StartedAt - result.SubmittedAt < TimeSpan.FromSeconds(10), $"Started {(result.StartedAt - result.SubmittedAt)?.TotalSeconds:F1} s after it was queued.");

        // The hostile student's first three, one after the other and in the order sent.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1 AND finished_at IS NOT NULL", hostileUser.Id) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "The hostile student's submissions did not finish.");
            Assert.True(await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1 AND status = 'Running'", hostileUser.Id) <= 1);
            await Task.Delay(200);
        }
        var finished = new List<(Guid Id, DateTimeOffset Started, DateTimeOffset Finished)>();
        await using (var command = app.Db.CreateCommand(
            "SELECT id, started_at, finished_at FROM submissions WHERE student_id = $1 AND finished_at IS NOT NULL ORDER BY started_at"))
        {
            command.Parameters.Add(new() { Value = hostileUser.Id });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                finished.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }
        Assert.Equal(hostileIds.Take(finished.Count), finished.Select(f => f.Id));
        for (var i = 1; i < finished.Count; i++)
        {
            Assert.True(finished[i].Started >= finished[i - 1].Finished, $"Submission {i} started before submission {i - 1} finished.");
        }
        Assert.Equal(HttpStatusCode.OK, (await hostile.GetAsync($"/api/submissions/{hostileIds[^1]}")).StatusCode);
        Assert.Equal("Queued", await app.ScalarAsync<string>("SELECT status FROM submissions WHERE id = $1", hostileIds[^1]));
    }
}
