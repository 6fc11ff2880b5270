using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Assignments;

/// <summary>Package upload, publishing and settings on an API node (loading a package needs no runner).</summary>
[Collection(PostgresCollection.Name)]
public sealed class InstructorTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task Uploading_the_same_package_twice_keeps_one_version_and_a_change_makes_a_new_one()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var files = TestPackages.Files("api-sums");
        files["assignment.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["assignment.json"]).Replace("\"api-sums\"", "\"upload-twice\"", StringComparison.Ordinal));

        var first = await (await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).ReadAsync<UploadedView>(HttpStatusCode.Created);
        var form = new MultipartFormDataContent();
        foreach (var (path, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), "files", path);
        }
        var again = await (await instructor.PostAsync("/api/instructor/assignments", form)).ReadAsync<UploadedView>(HttpStatusCode.OK);
        files["README.md"] = Encoding.UTF8.GetBytes("# Changed statement\n");
        var changed = await (await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).ReadAsync<UploadedView>(HttpStatusCode.Created);

        Assert.Equal((1, true, false), (first.Version, first.Created, first.Published));
        Assert.Equal((1, false, first.ContentHash), (again.Version, again.Created, again.ContentHash));
        Assert.Equal(2, changed.Version);
        Assert.Equal(2L, await app.ScalarAsync<long>("SELECT count(*) FROM assignment_versions WHERE assignment_id = 'upload-twice'"));
    }

    [Fact]
    public async Task Publishing_and_unpublishing_controls_what_students_see()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        await app.SeedAssignmentAsync("publish-toggle", GraderApp.Manifest("publish-toggle"), publish: false);

        await (await student.GetAsync("/api/assignments/publish-toggle")).AssertProblemAsync(HttpStatusCode.NotFound);
        (await instructor.PostAsync("/api/instructor/assignments/publish-toggle/publish", null)).EnsureSuccessStatusCode();
        Assert.Contains(await (await student.GetAsync("/api/assignments")).ReadAsync<AssignmentSummaryView[]>(), a => a.Id == "publish-toggle");
        (await instructor.PostAsync("/api/instructor/assignments/publish-toggle/unpublish", null)).EnsureSuccessStatusCode();
        Assert.DoesNotContain(await (await student.GetAsync("/api/assignments")).ReadAsync<AssignmentSummaryView[]>(), a => a.Id == "publish-toggle");
        await (await instructor.PostAsync("/api/instructor/assignments/nope/publish", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_package_is_refused_with_every_problem_listed()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var files = TestPackages.Files("api-sums");
        files["assignment.json"] = "{\"id\": \"Bad Id\", \"cases\": [{\"name\": \"x\"}]}"u8.ToArray();
        files.Remove("reference.csx");

        var problem = await (await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).AssertProblemAsync(HttpStatusCode.BadRequest);

        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("text").GetString()!).ToList();
        Assert.True(problems.Count >= 2, string.Join("\n", problems));
        Assert.Contains(problems, p => p.Contains("reference.csx", StringComparison.Ordinal));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM assignments WHERE id = 'Bad Id'"));
    }

    [Fact]
    public async Task Uploads_that_are_not_packages_are_refused()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var notZip = new ByteArrayContent("just text"u8.ToArray());
        notZip.Headers.ContentType = new("application/zip");

        Assert.Contains("zip", (await (await instructor.PostAsync("/api/instructor/assignments", notZip)).AssertProblemAsync(HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        await (await instructor.PostAsync("/api/instructor/assignments", new StringContent("{}", Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await instructor.PostAsync("/api/instructor/assignments", new MultipartFormDataContent { { new StringContent("x"), "note" } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var evil = new Dictionary<string, byte[]> { ["../outside.txt"] = "x"u8.ToArray() };
        await (await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(evil))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Settings_are_validated_and_stored()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        await app.SeedAssignmentAsync("settings", GraderApp.Manifest("settings"));
        var due = new DateTimeOffset(2030, 1, 10, 12, 0, 0, TimeSpan.Zero);

        var invalid = await (await instructor.PutAsJsonAsync("/api/instructor/assignments/settings/settings",
            new SettingsRequest(due, due.AddDays(-1), 2, due.AddDays(-2), 0, "median", true))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var saved = await (await instructor.PutAsJsonAsync("/api/instructor/assignments/settings/settings",
            new SettingsRequest(due.AddDays(-7), due, 0.1, due.AddDays(3), 5, "last", false))).ReadAsync<InstructorAssignmentView>();

        foreach (var field in new[] { "dueAt", "latePenaltyPerDay", "hardCutoffAt", "maxSubmissions", "scorePolicy" })
        {
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(new AssignmentSettingsView(due.AddDays(-7), due, 0.1, due.AddDays(3), 5, "last", false), saved.Settings);
        await (await instructor.PutAsJsonAsync("/api/instructor/assignments/nope/settings", new SettingsRequest(null, null, null, null, null, null, null)))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await instructor.PutAsync("/api/instructor/assignments/settings/settings", new StringContent("{\"dueAt\": \"tomorrow\"}", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
