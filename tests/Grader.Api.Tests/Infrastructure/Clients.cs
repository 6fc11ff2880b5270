using System.Net;
using System.Text;
using Grader.Api.Submissions;

namespace Grader.Api.Tests.Infrastructure;

public static class Clients
{
    public static async Task<AcceptedView> SubmitAsync(this HttpClient client, string assignmentId, string source)
    {
        var response = await client.PostAsync($"/api/assignments/{assignmentId}/submissions", new StringContent(source, Encoding.UTF8, "text/plain"));
        return await response.ReadAsync<AcceptedView>(HttpStatusCode.Accepted);
    }

    /// <summary>Long-polls until the submission is finished (the server waits up to 30 s per call).</summary>
    public static async Task<SubmissionView> WaitForResultAsync(this HttpClient client, Guid submissionId, int maxSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(maxSeconds);
        while (true)
        {
            var view = await (await client.GetAsync($"/api/submissions/{submissionId}?wait=30")).ReadAsync<SubmissionView>();
            if (SubmissionStates.Parse(view.Status).IsFinished())
            {
                return view;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Submission {submissionId} still {view.Status} after {maxSeconds} s.");
        }
    }
}
