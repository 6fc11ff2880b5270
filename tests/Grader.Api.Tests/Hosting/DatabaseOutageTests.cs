using System.Net;
using System.Text;
using Grader.Api.Database;
using Grader.Api.Submissions;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Hosting;

/// <summary>
/// PostgreSQL stopped under a running service (a cluster of its own, so that no other test class
/// loses its database): every request that needs it is a 503 with Retry-After, the outage is
/// logged once, and when PostgreSQL is back nothing sent before it is lost.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseOutageTests(DatabaseOutageTests.App app) : IClassFixture<DatabaseOutageTests.App>
{
    private const string Assignment = "outage-hw";

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_are_503_with_Retry_After_and_afterwards_nothing_is_lost()
    {
        var (student, user, _) = await app.CreateUserAsync(Grader.Api.Auth.Roles.Student);
        await app.SeedAssignmentAsync(Assignment, GraderApp.Manifest(Assignment));
        var before = await student.SubmitAsync(Assignment, "double[] Solve(double[,] a, double[] b) => b;");

        await app.StopPostgresAsync();
        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            refused.Add(await student.SendAsync(Submission("retried-key")));
            refused.Add(await student.GetAsync("/api/me"));
            refused.Add(await student.GetAsync("/api/assignments"));
            refused.Add(await student.GetAsync($"/api/submissions/{before.Id}?wait=1"));
        }
        var stillDown = await student.GetAsync("/health/ready");
        await app.StartPostgresAsync();

        foreach (var response in refused)
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"no Retry-After on {response.RequestMessage!.RequestUri}");
            Assert.Contains("database", problem.Detail(), StringComparison.Ordinal);
            Assert.Contains("again in", problem.Detail(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stillDown.StatusCode);

        // Back: the client's retry with the same key is stored once, and what was there before still is.
        var retried = await WhenBackAsync(() => student.SendAsync(Submission("retried-key")));
        var accepted = await retried.ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        var replayed = await (await student.SendAsync(Submission("retried-key"))).ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
        Assert.Equal(accepted.Id, replayed.Id);
        Assert.Equal(2L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", user.Id));
        Assert.Equal(before.Id, await app.ScalarAsync<Guid>("SELECT id FROM submissions WHERE id = $1", before.Id));
        Assert.Equal(HttpStatusCode.OK, (await student.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await student.GetAsync("/api/assignments")).StatusCode);

        // Twenty refused requests, one outage: logged once when it began and once when it ended.
        Assert.Single(app.Logs.Lines, l => l.Contains("PostgreSQL is unavailable", StringComparison.Ordinal));
        await WaitForAsync(() => app.Logs.Lines.Any(l => l.Contains("PostgreSQL is available again", StringComparison.Ordinal)));
    }

    private static HttpRequestMessage Submission(string idempotencyKey) => new(HttpMethod.Post, $"/api/assignments/{Assignment}/submissions")
    {
        Content = new StringContent("double[] Solve(double[,] a, double[] b) => a is null ? b : b;", Encoding.UTF8, "text/plain"),
        Headers = { { "Idempotency-Key", idempotencyKey } },
    };

    // The first requests after the restart may still meet the outage; a client that honours Retry-After gets through.
    private static async Task<HttpResponseMessage> WhenBackAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }
            await Task.Delay(500);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 20 s");
            await Task.Delay(200);
        }
    }

    public sealed class App : GraderApp, IAsyncLifetime
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), $"grader-tests-{Environment.ProcessId}-outage-{Guid.NewGuid():N}");
        private EmbeddedPostgres? _cluster;
        private int _port;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            _cluster = await EmbeddedPostgres.StartAsync(_directory, null, CancellationToken.None);
            _port = _cluster.Port;
            await _cluster.CreateDatabaseIfMissingAsync("outage", CancellationToken.None);
            With("ConnectionStrings:Grader", _cluster.ConnectionString("outage"));
        }

        public async Task StopPostgresAsync()
        {
            await _cluster!.DisposeAsync();
            _cluster = null;
        }

        public async Task StartPostgresAsync() =>
            _cluster = await EmbeddedPostgres.StartAsync(_directory, null, _port, CancellationToken.None);

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
