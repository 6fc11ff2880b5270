using System.Net;
using System.Text;
using Grader.Api.Assignments;
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

    /// <summary>Uploads a package (201 for a new version, 200 for known content); its validation is queued.</summary>
    public static async Task<UploadedView> UploadAsync(this HttpClient instructor, HttpContent package, bool publish = false)
    {
        var response = await instructor.PostAsync($"/api/instructor/assignments?publish={(publish ? "true" : "false")}", package);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<UploadedView>(response.StatusCode);
    }

    /// <summary>Polls the uploaded version until a worker has validated it (Passed or Failed).</summary>
    public static async Task<VersionView> WaitForValidationAsync(this HttpClient instructor, UploadedView uploaded, int maxSeconds = 180)
    {
        var deadline = DateTime.UtcNow.AddSeconds(maxSeconds);
        while (true)
        {
            var view = await (await instructor.GetAsync(uploaded.Location)).ReadAsync<VersionView>();
            if (view.Validation is nameof(ValidationState.Passed) or nameof(ValidationState.Failed))
            {
                return view;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{uploaded.AssignmentId} v{uploaded.Version} still {view.Validation} after {maxSeconds} s.");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// What a client that needs the assignment published does: uploads with ?publish=true, waits
    /// until a worker has validated the version, and checks that it passed and is published.
    /// </summary>
    public static async Task<VersionView> UploadAndPublishAsync(this HttpClient instructor, HttpContent package, int maxSeconds = 180)
    {
        var uploaded = await instructor.UploadAsync(package, publish: true);
        var version = await instructor.WaitForValidationAsync(uploaded, maxSeconds);
        Assert.True(version.Validation == nameof(ValidationState.Passed),
            $"{uploaded.AssignmentId} v{uploaded.Version} failed validation: {string.Join("; ", version.Report?.Problems ?? [])}");
        Assert.True(version.Published, $"{uploaded.AssignmentId} v{uploaded.Version} passed validation but is not published.");
        return version;
    }
}
