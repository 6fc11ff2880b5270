using System.Net;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Grader.Api.Tests.Submissions;

public sealed class RateLimitedApp : GraderApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:SubmissionsPerWindow", "3");
        builder.UseSetting("RateLimits:Window", "00:10:00");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Each_student_has_their_own_submission_rate_limit()
    {
        await app.SeedAssignmentAsync("rate", GraderApp.Manifest("rate"));
        var (eager, eagerUser, _) = await app.CreateUserAsync(Roles.Student);
        var (other, _, _) = await app.CreateUserAsync(Roles.Student);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await eager.PostAsync("/api/assignments/rate/submissions", new StringContent($"// {i}", Encoding.UTF8, "text/plain"))).StatusCode);
        }
        var refused = await eager.PostAsync("/api/assignments/rate/submissions", new StringContent("// 4", Encoding.UTF8, "text/plain"));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Try again", problem.Detail(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(3L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE student_id = $1", eagerUser.Id));
        Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsync("/api/assignments/rate/submissions", new StringContent("// mine", Encoding.UTF8, "text/plain"))).StatusCode);
    }
}
