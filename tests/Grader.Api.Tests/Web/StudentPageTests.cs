using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Web;

/// <summary>
/// The student's pages with JavaScript off, on a node that grades for real: the list, the statement,
/// the starter, submitting by paste and by upload with plain form posts, and the feedback page.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StudentPageTests(WorkerApp app) : IClassFixture<WorkerApp>, IAsyncLifetime
{
    private const string Id = "api-sums";

    // Markdown the author wrote, with raw HTML that must come out as text.
    private const string Statement =
        """
        # Sums and scaling

        Write `Add` so that it returns **the sum** of its arguments.

        ```csharp
        double Add(double a, double b) => a + b; // like this
        ```

        <script>alert("statement")</script>
        """;

    public async Task InitializeAsync()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var files = TestPackages.Files(Id);
        files["README.md"] = Encoding.UTF8.GetBytes(Statement);
        await instructor.UploadAndPublishAsync(TestPackages.Zip(files));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_assignment_list_shows_kind_course_best_score_and_attempts()
    {
        var (student, browser) = await SignedInStudentAsync();
        await student.WaitForResultAsync((await student.SubmitAsync(Id, Reference().Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal))).Id);

        var html = await browser.GetHtmlAsync("/assignments");

        Assert.Contains($"<a href=\"/assignments/{Id}\">Sums and scaling (service tests)</a>", html, StringComparison.Ordinal);
        Assert.Contains("Grader service tests, week 1", html, StringComparison.Ordinal);
        Assert.Contains("<td>Graded</td>", html, StringComparison.Ordinal);
        Assert.Contains("4 / 10", html, StringComparison.Ordinal);
        Assert.Contains("1 used", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_assignment_page_renders_the_statement_and_offers_the_starter()
    {
        var (_, browser) = await SignedInStudentAsync();

        var html = await browser.GetHtmlAsync($"/assignments/{Id}");
        var starter = await browser.Client.GetAsync($"/assignments/{Id}/starter");

        Assert.Contains("<h1>Sums and scaling</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>the sum</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>Add</code>", html, StringComparison.Ordinal);
        Assert.Contains("<pre><code class=\"language-csharp\">", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tok-keyword\">double</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;statement&quot;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/assignments/{Id}/starter\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, starter.StatusCode);
        Assert.Equal(TestPackages.Text(Id, "starter.csx"), await starter.Content.ReadAsStringAsync());
        Assert.Equal($"{Id}.csx", starter.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task Pasted_code_posted_without_JavaScript_leads_to_its_feedback_page()
    {
        var (student, browser) = await SignedInStudentAsync();
        var form = new MultipartFormDataContent { { new StringContent(Reference()), "source" } };

        var response = await browser.SubmitMultipartAsync($"/assignments/{Id}", $"/assignments/{Id}/submit", form);

        var page = await FinishedPageAsync(student, browser, response);
        Assert.Contains("data-status=\"Graded\"", page, StringComparison.Ordinal);
        Assert.Contains("10 / 10", page, StringComparison.Ordinal);
        Assert.Contains("5 of 5 cases passed", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uploaded_file_is_graded_and_wins_over_pasted_text()
    {
        var (student, browser) = await SignedInStudentAsync();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Reference()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var form = new MultipartFormDataContent { { file, "file", "solution.csx" }, { new StringContent("this text is not C#"), "source" } };

        var response = await browser.SubmitMultipartAsync($"/assignments/{Id}", $"/assignments/{Id}/submit", form);

        var page = await FinishedPageAsync(student, browser, response);
        Assert.Contains("data-status=\"Graded\"", page, StringComparison.Ordinal);
        Assert.Contains("10 / 10", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_form_shows_the_assignment_again_with_what_to_fix()
    {
        var (_, browser) = await SignedInStudentAsync();
        var form = new MultipartFormDataContent { { new StringContent(""), "source" } };

        var response = await browser.SubmitMultipartAsync($"/assignments/{Id}", $"/assignments/{Id}/submit", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("Submit for grading", html, StringComparison.Ordinal);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE assignment_id = $1 AND source = ''", Id));
    }

    [Fact]
    public async Task A_compile_error_is_shown_at_its_line_and_column_on_the_students_own_listing()
    {
        var (student, browser) = await SignedInStudentAsync();
        var source = "// Exercise 1\ndouble Add(double a, double b) => a + ;\n";
        var form = new MultipartFormDataContent { { new StringContent(source), "source" } };

        var page = await FinishedPageAsync(student, browser, await browser.SubmitMultipartAsync($"/assignments/{Id}", $"/assignments/{Id}/submit", form));

        Assert.Contains("data-status=\"CompileError\"", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"diagnostics-heading\">Compile errors</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#L2\">Line 2, column 39</a>", page, StringComparison.Ordinal);
        Assert.Contains("<tr id=\"L2\" class=\"marked\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_students_submission_page_and_events_are_not_found()
    {
        var (owner, _) = await SignedInStudentAsync();
        var (_, intruder) = await SignedInStudentAsync();
        var accepted = await owner.SubmitAsync(Id, Reference());

        await intruder.GetHtmlAsync($"/submissions/{accepted.Id}", HttpStatusCode.NotFound);
        var events = await intruder.Client.GetAsync($"/submissions/{accepted.Id}/events");

        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        Assert.DoesNotContain("text/event-stream", events.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        await owner.WaitForResultAsync(accepted.Id);
        var page = await intruder.GetHtmlAsync($"/submissions/{accepted.Id}", HttpStatusCode.NotFound);
        Assert.DoesNotContain("10 / 10", page, StringComparison.Ordinal);
        Assert.DoesNotContain("double Add", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hidden_cases_input_and_expected_value_never_reach_the_page()
    {
        var (student, browser) = await SignedInStudentAsync();
        // Wrong everywhere, so every case, hidden ones too, has something it could have shown.
        var wrong = Reference().Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal).Replace("v[i] * k", "v[i] + k", StringComparison.Ordinal);
        var accepted = await student.SubmitAsync(Id, wrong);
        await student.WaitForResultAsync(accepted.Id);

        var page = await browser.GetHtmlAsync($"/submissions/{accepted.Id}");

        Assert.Contains("add-secret", page, StringComparison.Ordinal);
        Assert.Contains("Check the order of the operands.", page, StringComparison.Ordinal);
        Assert.Contains("scale-secret", page, StringComparison.Ordinal);
        // The visible case's input and expected are shown, so the page does show these for visible cases.
        Assert.Contains("id=\"case-add-small\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"case-add-secret\"", page, StringComparison.Ordinal);
        // Ids and tokens are random and could hold the same digits by chance.
        var text = System.Text.RegularExpressions.Regex.Replace(page, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|value=\"[^\"]*\"", "");
        foreach (var secret in new[] { "4321", "4321.75", "98765", "197531", "7000", "7001" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Markup_a_submission_prints_or_contains_is_shown_as_text()
    {
        var (student, browser) = await SignedInStudentAsync();
        var hostile = Reference().Replace(
            "double Add(double a, double b) => a + b;",
            """
            double Add(double a, double b)
            {
                // </code></td></tr></table><script>alert('source')</script>
                Console.WriteLine("<script>alert('out')</script><img src=x onerror=alert('img')>");
                return a + b;
            }
            """,
            StringComparison.Ordinal);
        var accepted = await student.SubmitAsync(Id, hostile);
        await student.WaitForResultAsync(accepted.Id);

        var page = await browser.GetHtmlAsync($"/submissions/{accepted.Id}");

        Assert.Contains("Console output", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;out&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(&#x27;img&#x27;)&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&lt;/code&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror=alert('img')", page, StringComparison.Ordinal);
    }

    private static string Reference() => TestPackages.Text(Id, "reference.csx");

    private async Task<(HttpClient Api, PageSession Browser)> SignedInStudentAsync()
    {
        var (api, _, key) = await app.CreateUserAsync(Roles.Student);
        var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        return (api, browser);
    }

    // The form's redirect goes to the submission page, which (without JavaScript) refreshes itself until grading ends.
    private static async Task<string> FinishedPageAsync(HttpClient api, PageSession browser, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = PageSession.Location(response);
        Assert.Matches("^/submissions/[0-9a-f-]{36}$", location);
        var first = await browser.GetHtmlAsync(location);
        if (!first.Contains("data-events=\"", StringComparison.Ordinal))
        {
            return first;
        }
        Assert.Matches("<noscript>\\s*<meta http-equiv=\"refresh\" content=\"5\"[^>]*>\\s*</noscript>", first);
        await api.WaitForResultAsync(Guid.Parse(location["/submissions/".Length..]));
        var finished = await browser.GetHtmlAsync(location);
        Assert.DoesNotContain("http-equiv=\"refresh\"", finished, StringComparison.Ordinal);
        return finished;
    }
}
