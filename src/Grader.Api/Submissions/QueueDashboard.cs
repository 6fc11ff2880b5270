using Grader.Api.Auth;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Grader.Api.Submissions;

// Hangfire's dashboard at /hangfire, for instructors signed in to the web pages (the session
// cookie). Read-only unless Queue:DashboardActions allows requeueing and deleting jobs. It shows
// job ids and submission ids only: a job carries nothing else.
public static class QueueDashboard
{
    public const string Path = "/hangfire";

    public static void Map(IEndpointRouteBuilder app)
    {
        var queue = app.ServiceProvider.GetRequiredService<IOptions<QueueOptions>>().Value;
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.InstructorPages, Path, new DashboardOptions
        {
            DashboardTitle = "Grader queue",
            AppPath = "/",
            DisplayStorageConnectionString = false,
            IsReadOnlyFunc = _ => !queue.DashboardActions,
        }, app.ServiceProvider.GetRequiredService<JobStorage>());
    }
}
