using System.Net;
using System.Net.Http.Headers;
using Grader.Api.Auth;
using Grader.Api.Tests.Assignments;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Web;

/// <summary>The instructor assignment pages as a browser without JavaScript uses them, on an API node.</summary>
[Collection(PostgresCollection.Name)]
public sealed class InstructorFormTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task A_folder_posted_as_a_browser_sends_it_is_one_version_whose_page_shows_it_waiting_for_validation()
    {
        const string id = "form-folder";
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        using var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        // <input type=file webkitdirectory> sends every file under the chosen folder's name.
        // The zip input left empty still sends a part, as browsers do: filename="" and no bytes.
        var emptyInput = new ByteArrayContent([]);
        emptyInput.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"package\"", FileName = "\"\"" };
        emptyInput.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { emptyInput };
        foreach (var (path, bytes) in PackageValidationTests.Package(id))
        {
            form.Add(new ByteArrayContent(bytes), "folder", $"my-package/{path}");
        }

        var response = await browser.SubmitMultipartAsync("/instructor/assignments", "/instructor/assignments/upload", form);

        Assert.Equal($"/instructor/assignments/{id}?uploaded=1", PageSession.Location(response));
        var html = await browser.GetHtmlAsync(PageSession.Location(response));
        Assert.Contains("Version 1 uploaded", html, StringComparison.Ordinal);
        Assert.Contains("Waiting for validation", html, StringComparison.Ordinal);
        Assert.Matches("<meta http-equiv=\"refresh\" content=\"3\"", html);
        Assert.Equal("Pending", await app.ScalarAsync<string>("SELECT validation_state FROM assignment_versions WHERE assignment_id = $1", id));

        // Publishing it before a worker validated it is refused on the page with the reason.
        var refused = await browser.SubmitFormAsync($"/instructor/assignments/{id}", $"/instructor/assignments/{id}/publish", ("version", "1"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("once its validation has passed", refusal, StringComparison.Ordinal);
        Assert.Matches("<link rel=\"stylesheet\" href=\"/web/grader.css\"", refusal);
        Assert.Contains("Manage assignments", refusal, StringComparison.Ordinal);
        Assert.False(await app.ScalarAsync<bool>("SELECT published FROM assignments WHERE id = $1", id));
    }

    [Fact]
    public async Task An_invalid_package_is_shown_on_the_upload_page_with_every_problem()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        using var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        var files = PackageValidationTests.Package("form-invalid");
        files.Remove("reference.csx");
        var form = new MultipartFormDataContent { { TestPackages.Zip(files), "package", "package.zip" } };

        var response = await browser.SubmitMultipartAsync("/instructor/assignments", "/instructor/assignments/upload", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("problem(s); fix each and upload again", html, StringComparison.Ordinal);
        Assert.Contains("reference.csx", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instructor_forms_without_their_antiforgery_token_and_pages_for_a_student_are_refused()
    {
        const string id = "form-antiforgery";
        await app.SeedAssignmentAsync(id, GraderApp.Manifest(id), publish: false);
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        using var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);

        foreach (var (action, body) in new (string, HttpContent)[]
        {
            ("/instructor/assignments/upload", new MultipartFormDataContent { { TestPackages.Zip(PackageValidationTests.Package(id)), "package", "p.zip" } }),
            ($"/instructor/assignments/{id}/publish", new FormUrlEncodedContent([KeyValuePair.Create("version", "1")])),
            ($"/instructor/assignments/{id}/unpublish", new FormUrlEncodedContent([])),
            ($"/instructor/assignments/{id}/settings", new FormUrlEncodedContent([KeyValuePair.Create("latePenaltyPerDay", "0.5")])),
        })
        {
            var response = await browser.Client.PostAsync(action, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {action}: {(int)response.StatusCode}");
        }
        Assert.Equal((false, 0d, 1L), (await app.ScalarAsync<bool>("SELECT published FROM assignments WHERE id = $1", id),
            await app.ScalarAsync<double>("SELECT late_penalty_per_day FROM assignments WHERE id = $1", id),
            await app.ScalarAsync<long>("SELECT count(*) FROM assignment_versions WHERE assignment_id = $1", id)));

        // A form the framework cannot read (a %00 in it) is refused as malformed, at the forms that
        // check their token themselves (they bind no field) as at those that bind one.
        var token = PageSession.AntiforgeryToken(await browser.GetHtmlAsync($"/instructor/assignments/{id}"), "/session/end");
        foreach (var action in new[] { $"/instructor/assignments/{id}/unpublish", $"/instructor/assignments/{id}/regrade", $"/instructor/assignments/{id}/settings", "/session/end" })
        {
            var response = await browser.Client.PostAsync(action, new FormUrlEncodedContent([new("__antiforgery", token), new("note", "a\0b")]));
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {action} with a NUL: {(int)response.StatusCode} {problem}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(action.EndsWith("/settings", StringComparison.Ordinal) || problem.Contains("reload it and send the form again", StringComparison.Ordinal), $"POST {action}: {problem}");
        }
        Assert.Contains("Sign out", await browser.GetHtmlAsync("/assignments"), StringComparison.Ordinal);

        var (_, _, studentKey) = await app.CreateUserAsync(Roles.Student);
        using var student = PageSession.Open(app);
        await student.SignInWithKeyAsync(studentKey);
        foreach (var page in new[] { "/instructor/assignments", $"/instructor/assignments/{id}", $"/instructor/assignments/{id}/settings" })
        {
            var response = await student.Client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {page} as a student: {(int)response.StatusCode}");
        }
        Assert.DoesNotContain("Manage assignments", await student.GetHtmlAsync("/assignments"), StringComparison.Ordinal);
    }
}
