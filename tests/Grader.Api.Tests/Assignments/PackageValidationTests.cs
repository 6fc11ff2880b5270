using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Assignments;

/// <summary>
/// The validation job on a worker: an upload is validated in the sandbox (reference, starter,
/// recorded mistakes), the outcome and report are stored per version, and only a version that
/// passed can be published.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PackageValidationTests(WorkerApp app) : IClassFixture<WorkerApp>
{
    // A recorded mistake: Add subtracts, so exercise 1 (6 of 10 points) fails and Scale still passes.
    private const string Subtracts =
        """
        // Add subtracts its arguments.
        // expect-score: 4
        // expect-message: Return a + b.
        double Add(double a, double b) => a - b;

        double[] Scale(double[] v, double k)
        {
            var result = new double[v.Length];
            for (var i = 0; i < v.Length; i++)
            {
                result[i] = v[i] * k;
            }
            return result;
        }
        """;

    public static Dictionary<string, byte[]> Package(string id, string? mistake = null, bool brokenReference = false)
    {
        var files = TestPackages.Files("api-sums");
        var manifest = Encoding.UTF8.GetString(files["assignment.json"]).Replace("\"api-sums\"", $"\"{id}\"", StringComparison.Ordinal);
        if (brokenReference)
        {
            // The reference subtracts, and one case states its expected value: the reference misses it.
            manifest = manifest.Replace("\"args\": [1, 2],", "\"args\": [1, 2], \"expected\": 3,", StringComparison.Ordinal);
            files["reference.csx"] = Encoding.UTF8.GetBytes(TestPackages.Text("api-sums", "reference.csx").Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal));
        }
        files["assignment.json"] = Encoding.UTF8.GetBytes(manifest);
        if (mistake is not null)
        {
            files["mistakes/subtracts.csx"] = Encoding.UTF8.GetBytes(mistake);
        }
        return files;
    }

    [Fact]
    public async Task A_good_package_passes_with_each_mistake_as_declared_and_grading_uses_the_outputs_it_stored()
    {
        const string id = "valid-good";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var uploaded = await instructor.UploadAsync(TestPackages.Zip(Package(id, Subtracts)));
        Assert.Equal(("Pending", false), (uploaded.Validation, uploaded.Published));
        var version = await instructor.WaitForValidationAsync(uploaded);

        Assert.True(version.Validation == "Passed", string.Join("; ", version.Report?.Problems ?? []));
        Assert.False(version.Published);
        var report = version.Report!;
        Assert.Empty(report.Problems);
        Assert.Equal((10d, 10d, 0d), (report.ReferenceScore, report.MaxScore, report.StarterScore));
        var mistake = Assert.Single(report.Mistakes);
        Assert.Equal(("mistakes/subtracts.csx", 4d, 4d, true), (mistake.File, mistake.DeclaredScore, mistake.Score, mistake.Passed));
        Assert.Empty(mistake.MissingMessages);
        // Stored with the version: the outcome, the report, and the expected outputs of this content.
        Assert.Equal("Passed", await app.ScalarAsync<string>("SELECT validation_state FROM assignment_versions WHERE assignment_id = $1 AND version = 1", id));
        Assert.Equal(uploaded.ContentHash, await app.ScalarAsync<string>("SELECT expected_outputs->>'packageHash' FROM assignment_versions WHERE assignment_id = $1", id));
        Assert.Equal(4d, await app.ScalarAsync<double>("SELECT (validation_report->'mistakes'->0->>'score')::float8 FROM assignment_versions WHERE assignment_id = $1", id));

        await (await student.GetAsync($"/api/assignments/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish", null)).EnsureSuccessStatusCode();
        var graded = await student.WaitForResultAsync((await student.SubmitAsync(id, TestPackages.Text("api-sums", "reference.csx"))).Id);
        Assert.Equal(10, graded.Score);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains($"Computed expected outputs for {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_reference_fails_validation_the_report_says_why_and_publishing_is_refused()
    {
        const string id = "valid-broken";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var uploaded = await instructor.UploadAsync(TestPackages.Zip(Package(id, brokenReference: true)), publish: true);
        Assert.True(uploaded.PublishWhenValid);
        var version = await instructor.WaitForValidationAsync(uploaded);

        Assert.Equal(("Failed", false), (version.Validation, version.Published));
        var problem = Assert.Single(version.Report!.Problems);
        Assert.Contains("reference.csx scores 8 of 10", problem, StringComparison.Ordinal);
        Assert.Contains("add-small", problem, StringComparison.Ordinal);
        Assert.Equal("Failed", await app.ScalarAsync<string>("SELECT validation_state FROM assignment_versions WHERE assignment_id = $1", id));
        Assert.Null(await app.ScalarAsync<string>("SELECT expected_outputs::text FROM assignment_versions WHERE assignment_id = $1", id));
        // Written just after the outcome is committed.
        await WaitForLogAsync(l => l.Contains($"Assignment={id} ", StringComparison.Ordinal) && l.Contains("failed validation and \"it was not published\"", StringComparison.Ordinal)
            && l.Contains("reference.csx scores 8 of 10", StringComparison.Ordinal));

        var refused = await (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("failed validation", refused.Detail(), StringComparison.Ordinal);
        Assert.Equal("Failed", refused.GetProperty("validation").GetString());
        Assert.Contains("reference.csx scores 8 of 10", refused.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        await (await student.GetAsync($"/api/assignments/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_mistake_that_scores_other_than_it_declares_fails_with_declared_against_got()
    {
        const string id = "valid-mistake";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);

        var version = await instructor.WaitForValidationAsync(await instructor.UploadAsync(TestPackages.Zip(Package(id,
            Subtracts.Replace("expect-score: 4", "expect-score: 6", StringComparison.Ordinal).Replace("Return a + b.", "Use a multiplication.", StringComparison.Ordinal)))));

        Assert.Equal("Failed", version.Validation);
        var mistake = Assert.Single(version.Report!.Mistakes);
        Assert.Equal((6d, 4d, false), (mistake.DeclaredScore, mistake.Score, mistake.Passed));
        Assert.Contains("declares expect-score 6 but scores 4", mistake.Problem, StringComparison.Ordinal);
        Assert.Equal(["Use a multiplication."], mistake.MissingMessages);
        Assert.Contains(version.Report.Checks, c => c.Contains("reference.csx scores 10 / 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_job_run_again_changes_nothing_and_a_recovered_one_finishes_exactly_once()
    {
        const string id = "valid-again";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var uploaded = await instructor.UploadAsync(TestPackages.Zip(Package(id)), publish: true);
        Assert.Equal("Passed", (await instructor.WaitForValidationAsync(uploaded)).Validation);
        var validator = app.Services.GetRequiredService<PackageValidator>();
        async Task<string> Row() => (await app.ScalarAsync<string>(
            "SELECT concat_ws(' ', validation_state, validation_attempts, validated_at, md5(validation_report::text)) FROM assignment_versions WHERE assignment_id = $1", id))!;
        var before = await Row();

        // At least once: the same job delivered again finds the outcome and leaves it alone.
        await validator.ValidateAsync(id, 1, "redelivered", CancellationToken.None);
        Assert.Equal(before, await Row());

        // A worker that died mid-validation leaves the version Running; two deliveries of its job
        // run side by side, and exactly one of them records the outcome.
        await app.ExecuteAsync("UPDATE assignment_versions SET validation_state = 'Running', validated_at = NULL WHERE assignment_id = $1", id);
        await app.ExecuteAsync("UPDATE assignments SET published = false WHERE id = $1", id);
        await Task.WhenAll(validator.ValidateAsync(id, 1, "recovered-a", CancellationToken.None), validator.ValidateAsync(id, 1, "recovered-b", CancellationToken.None));

        Assert.StartsWith("Passed ", await Row(), StringComparison.Ordinal);
        // The upload's own job passed it once, the recovered deliveries once more between them.
        Assert.Equal(2, app.Logs.Lines.Count(l => l.Contains($"Assignment={id} ", StringComparison.Ordinal) && l.Contains("passed validation", StringComparison.Ordinal)));
        Assert.True(app.Logs.Lines.Count(l => l.Contains($"Assignment={id} ", StringComparison.Ordinal) && l.Contains("already finished", StringComparison.Ordinal)) >= 2);
        Assert.True(await app.ScalarAsync<bool>("SELECT published FROM assignments WHERE id = $1", id));
    }

    private async Task WaitForLogAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!app.Logs.Lines.Any(match))
        {
            Assert.True(DateTime.UtcNow < deadline, "No such log line:\n" + string.Join("\n", app.Logs.Lines.TakeLast(20)));
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_new_version_of_a_published_assignment_goes_live_only_once_it_validates()
    {
        const string id = "valid-live";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        await instructor.UploadAndPublishAsync(TestPackages.Zip(Package(id)));

        var broken = await instructor.UploadAsync(TestPackages.Zip(Package(id, brokenReference: true)));
        Assert.Equal((2, false), (broken.Version, broken.Published));
        Assert.Equal("Failed", (await instructor.WaitForValidationAsync(broken)).Validation);

        var versions = await (await instructor.GetAsync($"/api/instructor/assignments/{id}/versions")).ReadAsync<VersionView[]>();
        Assert.Equal([(2, "Failed", false), (1, "Passed", true)], versions.Select(v => (v.Version, v.Validation, v.Published)));
        Assert.Equal(1, (await (await student.GetAsync($"/api/assignments/{id}")).ReadAsync<AssignmentDetailView>()).Version);
        await (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish?version=2", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

/// <summary>Publishing on an API node, where no worker runs the validation an upload queued.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UnvalidatedPublishTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task Publishing_a_version_not_yet_validated_is_409_and_the_upload_queued_its_validation()
    {
        const string id = "valid-pending";
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);

        var uploaded = await instructor.UploadAsync(TestPackages.Zip(PackageValidationTests.Package(id)), publish: true);
        var refused = await (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(("Pending", false, true), (uploaded.Validation, uploaded.Published, uploaded.PublishWhenValid));
        Assert.Equal("Version not validated yet", refused.GetProperty("title").GetString());
        Assert.Contains("once its validation has passed", refused.Detail(), StringComparison.Ordinal);
        Assert.Contains("not been validated yet", refused.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        var jobId = await app.ScalarAsync<string>("SELECT validation_job_id FROM assignment_versions WHERE assignment_id = $1", id);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE jobid = $1 AND queue = 'validate'", long.Parse(jobId!, System.Globalization.CultureInfo.InvariantCulture)));
        // The same content again neither makes a version nor queues a second job.
        var again = await instructor.UploadAsync(TestPackages.Zip(PackageValidationTests.Package(id)));
        Assert.Equal((1, false), (again.Version, again.Created));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE queue = 'validate' AND jobid IN (SELECT id FROM hangfire.job WHERE arguments::text LIKE '%valid-pending%')"));
        await (await instructor.PostAsync($"/api/instructor/assignments/{id}/publish?version=7", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
