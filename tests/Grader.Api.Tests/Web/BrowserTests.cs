using System.Collections.Concurrent;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Grader.Api.Tests.Web;

/// <summary>
/// The student's flow in real Chromium: sign in with a link, open the assignment, paste code,
/// submit, and watch the grade arrive over Server-Sent Events from a worker in another process.
/// The live flow has a service of its own: it needs the page open on a submission no worker has
/// started yet, and the other flows start the worker.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BrowserTests(BrowserApp app) : BrowserFlows(app), IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_student_signs_in_with_a_link_submits_pasted_code_and_sees_the_grade_arrive_live() => SignInSubmitAndWatchLiveAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class BrowserWorkerTests(BrowserApp app) : BrowserFlows(app), IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_compile_error_is_marked_on_the_students_listing_at_its_line_and_column() => CompileErrorIsMarkedAsync();

    [Fact]
    public Task Markup_a_submission_prints_is_shown_as_text_and_runs_nothing() => PrintedMarkupIsTextAsync();

    [Fact]
    public Task A_recorded_mistake_of_C1W2_uploaded_as_a_file_shows_its_failing_cases_and_another_student_gets_404() => UploadedCourseMistakeAsync();
}

public abstract class BrowserFlows(BrowserApp app) : IAsyncLifetime
{
    private const string Id = "api-sums";
    private const string Title = "Sums and scaling (service tests)";
    private static readonly TimeSpan Grading = TimeSpan.FromSeconds(120);

    public async Task InitializeAsync()
    {
        if (await app.ScalarAsync<long>("SELECT count(*) FROM assignments WHERE id = $1", Id) > 0)
        {
            return;
        }
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var files = TestPackages.Files(Id);
        files["README.md"] = Encoding.UTF8.GetBytes(
            """
            # Sums and scaling

            `Add` returns **the sum** of its two arguments; `Scale` returns a new array with every element
            of `v` multiplied by `k`.

            ```csharp
            double[] Scale(double[] v, double k)
            {
                // your code here
            }
            ```

            | Function | Example | Result |
            |---|---|---|
            | `Add` | `Add(1, 2)` | `3` |
            | `Scale` | `Scale([1, 2, 4], 2)` | `[2, 4, 8]` |
            """);
        Assert.True((await instructor.PostAsync("/api/instructor/assignments", TestPackages.Zip(files))).IsSuccessStatusCode);
        Assert.True((await instructor.PostAsync($"/api/instructor/assignments/{Id}/publish", null)).IsSuccessStatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task SignInSubmitAndWatchLiveAsync()
    {
        var (_, user, _) = await app.CreateUserAsync(Roles.Student, "ada.lovelace");
        var token = await PageSession.SignInLinkTokenAsync(app, user.Id);
        var page = await app.NewPageAsync();
        var problems = Watch(page);
        var streams = new ConcurrentQueue<string>();
        page.Response += (_, r) =>
        {
            if (r.Url.EndsWith("/events", StringComparison.Ordinal))
            {
                streams.Enqueue($"{r.Status} {r.Headers.GetValueOrDefault("content-type")}");
            }
        };

        await page.GotoAsync($"/sign-in/{token}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/assignments");
        await Expect(page.GetByText("Signed in as ada.lovelace")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "assignments");

        await page.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sums and scaling", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".statement code.language-csharp .tok-keyword").First).ToHaveTextAsync("double");
        await page.GetByLabel("Or paste your code").FillAsync(TestPackages.Text(Id, "reference.csx").Replace("v[i] * k", "v[i] + k", StringComparison.Ordinal));
        await BrowserApp.ScreenshotAsync(page, "assignment");

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for grading" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/submissions/[0-9a-f-]{36}$"));
        // No worker runs yet: the page is open on a queued submission, following its events.
        var status = page.Locator("#status");
        await Expect(status).ToHaveTextAsync("Queued");
        await Expect(status).ToHaveAttributeAsync("aria-live", "polite");

        await app.StartWorkerAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Score" })).ToBeVisibleAsync(new() { Timeout = (float)Grading.TotalMilliseconds });
        Assert.True(streams.Any(s => s.StartsWith("200 text/event-stream", StringComparison.Ordinal)), $"No event stream was read: {string.Join(", ", streams)}\n{app.WorkerOutput}");
        await Expect(status).ToHaveTextAsync("Graded");
        await Expect(page.Locator("table.scores tr.total")).ToContainTextAsync("6 / 10");
        var failing = page.Locator("#case-scale-visible");
        await Expect(failing).ToContainTextAsync("Wrong answer");
        await Expect(failing.Locator(".got mark.diff")).ToHaveTextAsync(["3", "6"]);
        await Expect(failing.Locator(".got mark.largest")).ToHaveTextAsync("6");
        await BrowserApp.ScreenshotAsync(page, "result");
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }

    protected async Task CompileErrorIsMarkedAsync()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        await app.StartWorkerAsync();
        var page = await app.NewPageAsync();
        var problems = Watch(page);

        await SignInWithKeyAsync(page, key);
        await page.GotoAsync($"/assignments/{Id}");
        await page.GetByLabel("Or paste your code").FillAsync("// Exercise 1\ndouble Add(double a, double b) => a + ;\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for grading" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Compile errors" })).ToBeVisibleAsync(new() { Timeout = (float)Grading.TotalMilliseconds });
        await Expect(page.Locator("#status")).ToHaveTextAsync("Compile error");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Line 2, column 39" })).ToBeVisibleAsync();
        await Expect(page.Locator("tr#L2.marked")).ToContainTextAsync("double Add(double a, double b) => a + ;");
        await BrowserApp.ScreenshotAsync(page, "compile-error");
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }

    protected async Task PrintedMarkupIsTextAsync()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        await app.StartWorkerAsync();
        var page = await app.NewPageAsync();
        var dialogs = new ConcurrentQueue<string>();
        page.Dialog += (_, d) =>
        {
            dialogs.Enqueue(d.Message);
            _ = d.DismissAsync();
        };
        const string printed = "<script>alert('out')</script><img src=x onerror=alert('img')>";
        var hostile = TestPackages.Text(Id, "reference.csx").Replace(
            "double Add(double a, double b) => a + b;",
            $$"""
            double Add(double a, double b)
            {
                Console.WriteLine("{{printed}}");
                return a + b;
            }
            """,
            StringComparison.Ordinal);

        await SignInWithKeyAsync(page, key);
        await page.GotoAsync($"/assignments/{Id}");
        await page.GetByLabel("Or paste your code").FillAsync(hostile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for grading" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Score" })).ToBeVisibleAsync(new() { Timeout = (float)Grading.TotalMilliseconds });
        await Expect(page.Locator("pre.output").First).ToContainTextAsync(printed);
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        Assert.Empty(dialogs);
    }

    protected async Task UploadedCourseMistakeAsync()
    {
        const string c1w2 = "dlai-c1w2-linear-systems";
        var package = TestPackages.CourseDirectory(c1w2);
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var upload = await instructor.PostAsync("/api/instructor/assignments?publish=true", TestPackages.Zip(TestPackages.FilesIn(package)));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        await app.StartWorkerAsync();
        var page = await app.NewPageAsync();
        var problems = Watch(page);

        await SignInWithKeyAsync(page, key);
        await page.GotoAsync($"/assignments/{c1w2}");
        // AddRows changes the wrong row; the package declares what it scores and what it says.
        await page.GetByLabel("Upload your file (.csx or .cs)").SetInputFilesAsync(Path.Combine(package, "mistakes", "add-rows-wrong-direction.csx"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for grading" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Score" })).ToBeVisibleAsync(new() { Timeout = (float)Grading.TotalMilliseconds });
        await Expect(page.Locator("#status")).ToHaveTextAsync("Graded");
        await Expect(page.Locator("table.scores tr.total")).ToContainTextAsync("64.5 / 100");
        await Expect(page.GetByText("row r2 becomes k").First).ToBeVisibleAsync();
        await Expect(page.Locator("mark.diff").First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "c1w2-mistake");
        Assert.True(problems.IsEmpty, string.Join("\n", problems));

        // Another student opening the same address gets the page's 404, not the submission.
        var (_, _, otherKey) = await app.CreateUserAsync(Roles.Student);
        var other = await app.NewPageAsync();
        await SignInWithKeyAsync(other, otherKey);
        var response = await other.GotoAsync(page.Url);
        Assert.Equal(404, response!.Status);
        Assert.Equal(0, await other.Locator("table.scores").CountAsync());
    }

    internal static async Task SignInWithKeyAsync(IPage page, string key)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/assignments$"));
    }

    // Script errors, failed requests for our own files and CSP violations: a page that works only half.
    internal static ConcurrentQueue<string> Watch(IPage page)
    {
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                problems.Enqueue($"console: {m.Text} ({m.Location})");
            }
        };
        page.PageError += (_, e) => problems.Enqueue($"page error: {e}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                problems.Enqueue($"response {r.Status} for {r.Url}");
            }
        };
        return problems;
    }
}
