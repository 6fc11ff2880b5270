using System.Net;
using System.Text.Json;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Assignments;

/// <summary>GET /api/assignments/{id}/visible, what `grader fetch` writes and `grader test` grades against.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VisiblePartTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task The_visible_part_carries_the_visible_cases_with_their_expected_values_and_nothing_of_the_hidden_or_after_due_ones()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        await instructor.UploadAsync(TestPackages.Zip(TestPackages.Files("api-sums")));
        await app.PassValidationAsync("api-sums");
        (await instructor.PostAsync("/api/instructor/assignments/api-sums/publish", null)).EnsureSuccessStatusCode();

        var response = await student.GetAsync("/api/assignments/api-sums/visible");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = JsonDocument.Parse(body).RootElement;
        Assert.Equal(TestPackages.Text("api-sums", "starter.csx"), part.GetProperty("starter").GetString());
        Assert.Equal(TestPackages.Text("api-sums", "README.md"), part.GetProperty("statement").GetString());
        var cases = part.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["add-small", "scale-visible"], cases.Keys);
        Assert.Equal(3, cases["add-small"].GetProperty("expected").GetProperty("value").GetDouble());
        Assert.Equal("[1,2,4]", cases["scale-visible"].GetProperty("args")[0].GetRawText());
        Assert.Equal("[2,4,8]", cases["scale-visible"].GetProperty("expected").GetProperty("value").GetRawText());
        Assert.Equal("Return a + b.", cases["add-small"].GetProperty("hint").GetString());
        // Hidden and after-due inputs, expected values, names and hints; the reference's body; fixtures.
        foreach (var secret in new[] { "4321", "7000", "7001", "98765", "197531", "add-secret", "add-later", "scale-secret",
            "Check the order", "Check negative", "Multiply every element", "result[i] = v[i] * k", "fixtures", "$fixture" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unpublished_or_unknown_assignment_has_no_visible_part_for_students()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        var files = TestPackages.Files("api-sums");
        files["assignment.json"] = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(files["assignment.json"])
            .Replace("\"api-sums\"", "\"visible-unpublished\"", StringComparison.Ordinal));
        (await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).EnsureSuccessStatusCode();

        var unpublished = await (await student.GetAsync("/api/assignments/visible-unpublished/visible")).AssertProblemAsync(HttpStatusCode.NotFound);
        var unknown = await (await student.GetAsync("/api/assignments/no-such-thing/visible")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("GET /api/assignments lists them", unpublished.Detail(), StringComparison.Ordinal);
        Assert.Contains("no-such-thing", unknown.Detail(), StringComparison.Ordinal);
    }
}
