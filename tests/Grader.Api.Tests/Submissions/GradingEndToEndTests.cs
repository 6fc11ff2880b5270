using System.Net;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Grades;
using Grader.Api.Submissions;
using Grader.Api.Tests.Infrastructure;
using Grader.Core.Grading;

namespace Grader.Api.Tests.Submissions;

/// <summary>
/// The whole path on one node with both roles: an instructor uploads a real package, students
/// submit over HTTP, Hangfire runs the job, the real engine compiles and runs the code in the
/// sandboxed runner pool, and the result, the grade and the statistics come back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GradingEndToEndTests(WorkerApp app) : IClassFixture<WorkerApp>, IAsyncLifetime
{
    private const string Id = "api-sums";
    private HttpClient _instructor = null!;

    public async Task InitializeAsync()
    {
        (_instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        await _instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(Id)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_correct_solution_scores_full_marks_and_hidden_cases_give_nothing_away()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var accepted = await student.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"));
        var result = await student.WaitForResultAsync(accepted.Id);

        Assert.Equal("Graded", result.Status);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(10, result.Score);
        Assert.Equal(10, result.MaxScore);
        var cases = result.Report!.Exercises.SelectMany(e => e.Cases).ToDictionary(c => c.Name);
        Assert.All(cases.Values, c => Assert.Equal(CaseVerdict.Passed, c.Verdict));
        Assert.True(cases["add-secret"].Hidden);
        Assert.Null(cases["add-secret"].Input);
        Assert.Null(cases["add-secret"].Expected);
        Assert.True(cases["add-later"].Hidden);
        // Timings are measured, so their digits are arbitrary ("runMs":5.3077000000000005 holds 7000);
        // hidden cases never contribute to them (the engine zeroes a hidden case's time).
        var raw = System.Text.RegularExpressions.Regex.Replace(
            await (await student.GetAsync($"/api/submissions/{accepted.Id}")).Content.ReadAsStringAsync(),
            "\"(elapsedMs|compileMs|runMs)\":[-0-9.eE+]+", "\"$1\":0");
        Assert.DoesNotContain("4321", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("98765", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("7000", raw, StringComparison.Ordinal);

        var grade = await (await student.GetAsync($"/api/assignments/{Id}/grade")).ReadAsync<GradeView>();
        Assert.Equal(accepted.Id, grade.SubmissionId);
        Assert.Equal(10, grade.Score);
    }

    [Fact]
    public async Task The_starter_scores_zero_and_a_wrong_answer_gets_case_feedback()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var starter = await student.WaitForResultAsync((await student.SubmitAsync(Id, TestPackages.Text(Id, "starter.csx"))).Id);
        var wrong = await student.WaitForResultAsync((await student.SubmitAsync(Id,
            TestPackages.Text(Id, "reference.csx").Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal))).Id);

        Assert.Equal(("Graded", 0d), (starter.Status, starter.Score!.Value));
        Assert.Equal("Graded", wrong.Status);
        Assert.Equal(4, wrong.Score);
        var addSmall = wrong.Report!.Exercises.SelectMany(e => e.Cases).Single(c => c.Name == "add-small");
        Assert.Equal(CaseVerdict.WrongAnswer, addSmall.Verdict);
        Assert.Equal("Return a + b.", addSmall.Hint);
        // The better of the two counts (the default policy is best).
        Assert.Equal(4, (await (await student.GetAsync($"/api/assignments/{Id}/grade")).ReadAsync<GradeView>()).Score);
    }

    [Fact]
    public async Task A_compile_error_is_a_result_with_diagnostics_not_an_http_error()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var result = await student.WaitForResultAsync((await student.SubmitAsync(Id, "double Add(double a, double b) => a +;\n")).Id);

        Assert.Equal("CompileError", result.Status);
        Assert.Equal(0, result.Score);
        Assert.NotEmpty(result.Report!.Diagnostics);
        Assert.Equal(1, result.Report.Diagnostics[0].Line);
    }

    [Fact]
    public async Task A_hostile_submission_ends_in_a_verdict_and_the_service_lives_on()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var hostile = await student.WaitForResultAsync((await student.SubmitAsync(Id,
            "double Add(double a, double b) { System.IO.File.ReadAllText(\"/etc/passwd\"); System.Environment.Exit(0); return a + b; }\n" +
            "double[] Scale(double[] v, double k) { while (true) { } }\n")).Id);
        var after = await student.WaitForResultAsync((await student.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"))).Id);

        // Refused by the allowlist, or run and failed in the sandbox: never a pass, never a crash.
        Assert.Contains(hostile.Status, new[] { "Rejected", "Graded" });
        Assert.Equal(0, hostile.Score);
        Assert.Equal(("Graded", 10d), (after.Status, after.Score!.Value));
    }

    [Fact]
    public async Task A_student_sees_only_their_own_submissions_and_no_instructor_data()
    {
        var (alice, _, _) = await app.CreateUserAsync(Roles.Student);
        var (bob, _, _) = await app.CreateUserAsync(Roles.Student);
        var alices = await alice.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"));
        await alice.WaitForResultAsync(alices.Id);

        await (await bob.GetAsync($"/api/submissions/{alices.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await (await bob.GetAsync("/api/submissions")).ReadAsync<SubmissionView[]>());
        Assert.Empty(await (await bob.GetAsync($"/api/assignments/{Id}/submissions")).ReadAsync<SubmissionView[]>());
        await (await bob.GetAsync($"/api/assignments/{Id}/grade")).AssertProblemAsync(HttpStatusCode.NotFound);
        foreach (var url in new[] { $"/api/instructor/assignments/{Id}/gradebook", $"/api/instructor/assignments/{Id}/gradebook.csv",
                     $"/api/instructor/assignments/{Id}/statistics", "/api/instructor/assignments", "/api/users" })
        {
            await (await bob.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        await (await bob.PostAsync($"/api/instructor/assignments/{Id}/regrade", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        // The statement lists visible cases only; hidden and not-yet-revealed ones are only counted.
        var detail = await (await bob.GetAsync($"/api/assignments/{Id}")).ReadAsync<AssignmentDetailView>();
        Assert.Equal(["add-small", "scale-visible"], detail.VisibleCases.Select(c => c.Name).ToArray());
        Assert.Equal(3, detail.HiddenCases);
        Assert.DoesNotContain("4321", JsonSerializer.Serialize(detail), StringComparison.Ordinal);
        Assert.Equal(TestPackages.Text(Id, "starter.csx"), await bob.GetStringAsync($"/api/assignments/{Id}/starter"));

        // An instructor may read any submission.
        Assert.Equal(alices.Id, (await (await _instructor.GetAsync($"/api/submissions/{alices.Id}")).ReadAsync<SubmissionView>()).Id);
    }

    [Fact]
    public async Task The_gradebook_and_statistics_cover_the_cohort()
    {
        var (good, goodUser, _) = await app.CreateUserAsync(Roles.Student, $"good-{Guid.NewGuid():N}");
        var (poor, poorUser, _) = await app.CreateUserAsync(Roles.Student, $"poor,{Guid.NewGuid():N}");
        await good.WaitForResultAsync((await good.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx"))).Id);
        await poor.WaitForResultAsync((await poor.SubmitAsync(Id, TestPackages.Text(Id, "starter.csx"))).Id);

        var book = await (await _instructor.GetAsync($"/api/instructor/assignments/{Id}/gradebook")).ReadAsync<GradebookEntryView[]>();
        Assert.Equal(10, book.Single(g => g.StudentId == goodUser.Id).Score);
        Assert.Equal(0, book.Single(g => g.StudentId == poorUser.Id).Score);

        var csvResponse = await _instructor.GetAsync($"/api/instructor/assignments/{Id}/gradebook.csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.StartsWith("student,submission_id,raw_score,max_score,days_late,penalty,score\n", csv, StringComparison.Ordinal);
        Assert.Contains($"\n{goodUser.ExternalId},", csv, StringComparison.Ordinal);
        Assert.Contains($"\n\"{poorUser.ExternalId}\",", csv, StringComparison.Ordinal);

        var stats = await (await _instructor.GetAsync($"/api/instructor/assignments/{Id}/statistics")).ReadAsync<CaseStatisticsView[]>();
        var addSmall = stats.Single(s => s.Case == "add-small");
        Assert.True(addSmall.Students >= 2);
        Assert.InRange(addSmall.PassRate, 0.01, 0.99);
    }

    [Fact]
    public async Task Late_submissions_lose_the_penalty_and_after_due_cases_are_revealed()
    {
        const string late = "api-sums-late";
        var files = TestPackages.Files(Id);
        files["assignment.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["assignment.json"]).Replace($"\"{Id}\"", $"\"{late}\"", StringComparison.Ordinal));
        await _instructor.UploadAndPublishAsync(TestPackages.Zip(files));
        var settings = new SettingsRequest(null, DateTimeOffset.UtcNow.AddHours(-36), 0.1, null, null, "best", true);
        (await _instructor.PutAsJsonAsync($"/api/instructor/assignments/{late}/settings", settings)).EnsureSuccessStatusCode();
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);

        var result = await student.WaitForResultAsync((await student.SubmitAsync(late, TestPackages.Text(Id, "reference.csx"))).Id);
        var grade = await (await student.GetAsync($"/api/assignments/{late}/grade")).ReadAsync<GradeView>();

        Assert.Equal(10, result.Score);
        Assert.Equal((2, 0.2, 8d), (grade.DaysLate, grade.Penalty, grade.Score));
        var revealed = result.Report!.Exercises.SelectMany(e => e.Cases).Single(c => c.Name == "add-later");
        Assert.False(revealed.Hidden);
        var detail = await (await student.GetAsync($"/api/assignments/{late}")).ReadAsync<AssignmentDetailView>();
        Assert.Contains(detail.VisibleCases, c => c.Name == "add-later");

        // Turning the penalty off rewrites the grade at once.
        (await _instructor.PutAsJsonAsync($"/api/instructor/assignments/{late}/settings", settings with { LatePenaltyPerDay = 0 })).EnsureSuccessStatusCode();
        Assert.Equal(10, (await (await student.GetAsync($"/api/assignments/{late}/grade")).ReadAsync<GradeView>()).Score);
    }

    [Fact]
    public async Task A_regrade_against_a_new_version_reports_how_many_grades_changed()
    {
        const string id = "api-sums-regrade";
        var files = TestPackages.Files(Id);
        var manifest = Encoding.UTF8.GetString(files["assignment.json"]).Replace($"\"{Id}\"", $"\"{id}\"", StringComparison.Ordinal);
        files["assignment.json"] = Encoding.UTF8.GetBytes(manifest);
        await _instructor.UploadAndPublishAsync(TestPackages.Zip(files));
        var (good, _, _) = await app.CreateUserAsync(Roles.Student);
        var (poor, _, _) = await app.CreateUserAsync(Roles.Student);
        await good.WaitForResultAsync((await good.SubmitAsync(id, TestPackages.Text(Id, "reference.csx"))).Id);
        await poor.WaitForResultAsync((await poor.SubmitAsync(id, TestPackages.Text(Id, "starter.csx"))).Id);

        // Version 2 gives exercise 1 more points: the full-marks grade changes, the zero does not.
        files["assignment.json"] = Encoding.UTF8.GetBytes(manifest.Replace("\"points\": 6", "\"points\": 16", StringComparison.Ordinal));
        var uploaded = await (await _instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).ReadAsync<UploadedView>(HttpStatusCode.Created);
        Assert.Equal(2, uploaded.Version);
        // A new version of a published assignment replaces the current one once it has validated.
        var v2 = await _instructor.WaitForValidationAsync(uploaded);
        Assert.True(v2.Current && v2.Published, v2.Validation);
        var regrade = await (await _instructor.PostAsync($"/api/instructor/assignments/{id}/regrade", null)).ReadAsync<RegradeView>(HttpStatusCode.Accepted);
        Assert.Equal(2, regrade.Queued);

        RegradeStatusView status;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        do
        {
            await Task.Delay(200);
            status = await (await _instructor.GetAsync($"/api/instructor/assignments/{id}/regrades/{regrade.RegradeId}")).ReadAsync<RegradeStatusView>();
        }
        while (status.Pending > 0 && DateTime.UtcNow < deadline);

        Assert.Equal((2, 0, 2, 1), (status.Total, status.Pending, status.Finished, status.Changed));
        Assert.Equal(20, (await (await good.GetAsync($"/api/assignments/{id}/grade")).ReadAsync<GradeView>()).Score);
    }

    [Fact]
    public async Task The_source_and_keys_never_reach_the_logs()
    {
        var (student, _, key) = await app.CreateUserAsync(Roles.Student);
        const string marker = "LOG_MARKER_SOURCE_4242";
        await student.WaitForResultAsync((await student.SubmitAsync(Id, TestPackages.Text(Id, "reference.csx") + $"\n// {marker}\n")).Id);

        var logs = string.Join("\n", app.Logs.Lines);
        Assert.Contains("/api/assignments/{assignmentId}/submissions", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('_')[2], logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_node_is_ready_with_its_runner_pool()
    {
        var client = app.CreateClient();
        var ready = await client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("runner-pool", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/assignments/{assignmentId}/submissions", openApi, StringComparison.Ordinal);
    }
}
