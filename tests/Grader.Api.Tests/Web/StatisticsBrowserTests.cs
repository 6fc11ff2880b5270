using System.Collections.Concurrent;
using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Grader.Api.Tests.Web;

/// <summary>
/// The instructor's statistics and regrade in real Chromium. Students submit and a worker grades
/// them; the worker then stops, so that the regrade waits in the queue with the page open on it, and
/// a new worker's progress reaches the page live over Server-Sent Events.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StatisticsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Id = "api-sums";
    private static readonly TimeSpan Grading = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Students_submit_the_statistics_page_plots_one_bar_per_case_and_a_regrade_reaches_100_percent_live()
    {
        var (instructor, _, instructorKey) = await app.CreateUserAsync(Roles.Instructor, "prof.noether");
        var files = TestPackages.Files(Id);
        files["README.md"] = Encoding.UTF8.GetBytes("# Sums and scaling\n\nWrite `Add` and `Scale`.\n");
        var reference = TestPackages.Text(Id, "reference.csx");
        var submissions = new[]
        {
            reference,
            reference.Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal),
            reference.Replace("v[i] * k", "v[i] + k", StringComparison.Ordinal),
            TestPackages.Text(Id, "starter.csx"),
        };

        await using (var worker = NodeProcess.Start(app.ConnectionString, "worker", "statistics-worker-1"))
        {
            await instructor.UploadAndPublishAsync(TestPackages.Zip(files));
            // One student through the page, the others through the API.
            var (_, _, studentKey) = await app.CreateUserAsync(Roles.Student, "ada.lovelace");
            var student = await app.NewPageAsync();
            await BrowserFlows.SignInWithKeyAsync(student, studentKey);
            await student.GotoAsync($"/assignments/{Id}");
            await student.GetByLabel("Or paste your code").FillAsync(reference.Replace("v[i] * k", "v[i] * k + 0", StringComparison.Ordinal));
            await student.GetByRole(AriaRole.Button, new() { Name = "Submit for grading" }).ClickAsync();
            await Expect(student.GetByRole(AriaRole.Heading, new() { Name = "Score" })).ToBeVisibleAsync(new() { Timeout = (float)Grading.TotalMilliseconds });
            for (var i = 0; i < submissions.Length; i++)
            {
                var (api, _, _) = await app.CreateUserAsync(Roles.Student, $"student-{i + 1}");
                await api.WaitForResultAsync((await api.SubmitAsync(Id, submissions[i])).Id);
            }
        }

        var page = await app.NewPageAsync();
        var problems = BrowserFlows.Watch(page);
        var streams = new ConcurrentQueue<string>();
        page.Response += (_, r) =>
        {
            if (r.Url.EndsWith("/events", StringComparison.Ordinal))
            {
                streams.Enqueue($"{r.Status} {r.Headers.GetValueOrDefault("content-type")}");
            }
        };
        await BrowserFlows.SignInWithKeyAsync(page, instructorKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Statistics" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sums and scaling (service tests)" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Statistics of Sums and scaling (service tests)" })).ToBeVisibleAsync();
        var cases = page.GetByRole(AriaRole.Img, new() { Name = "Pass rate per case" });
        await Expect(cases).ToBeVisibleAsync();
        await Expect(cases.Locator("g.row")).ToHaveCountAsync(5);
        await Expect(cases.Locator("g.row.marked")).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Histogram of effective scores" }).Locator("g.column")).ToHaveCountAsync(10);
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Submissions per day (UTC)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Most-failed case per exercise" })).ToBeVisibleAsync();
        await page.GetByText("The figures as a table").Nth(2).ClickAsync();
        await Expect(page.Locator("table.case-rates tbody tr")).ToHaveCountAsync(5);
        await BrowserApp.ScreenshotAsync(page, "instructor-statistics");
        var docs = Path.Combine(Path.GetDirectoryName(TestPackages.CourseDirectory(Id))!, "..", "docs");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, "instructor-statistics.png"), FullPage = true });

        // Version 2 gives exercise 1 more points: the grades of those who passed it change. It is
        // validated by a worker that then stops: the regrade waits with the page open on it.
        files["assignment.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["assignment.json"]).Replace("\"points\": 6", "\"points\": 16", StringComparison.Ordinal));
        await using (var validator = NodeProcess.Start(app.ConnectionString, "worker", "statistics-validator"))
        {
            await instructor.UploadAndPublishAsync(TestPackages.Zip(files));
        }
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Regrade all students" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/regrades/[0-9a-f-]{36}$"));
        var progress = page.Locator("progress#regrade-progress");
        await Expect(progress).ToHaveAttributeAsync("max", "5");
        await Expect(page.Locator("#regrade-figures")).ToContainTextAsync("0 of 5 regraded");
        await BrowserApp.ScreenshotAsync(page, "regrade-waiting");

        await using (var worker = NodeProcess.Start(app.ConnectionString, "worker", "statistics-worker-2"))
        {
            // The page's script sets the bar from the stream; the page then reloads to list the changed grades.
            await Expect(page.Locator("[data-regrade-events][data-done=true]")).ToHaveCountAsync(1, new() { Timeout = (float)Grading.TotalMilliseconds });
            Assert.Equal(5, await progress.EvaluateAsync<int>("p => p.value"));
            await Expect(page.Locator("#regrade-figures .percent")).ToHaveTextAsync("100 %");
            await BrowserApp.ScreenshotAsync(page, "regrade-live-100");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Changed grades" })).ToBeVisibleAsync();
            // Full marks on exercise 1 (the reference, the wrong Scale, the page's student) go up; a - b and the starter keep theirs.
            await Expect(page.Locator("#regrade-figures")).ToContainTextAsync("5 of 5 regraded, 3 grades changed");
            await Expect(page.Locator("table.changed-grades tbody tr")).ToHaveCountAsync(3);
            await Expect(page.Locator("table.changed-grades")).ToContainTextAsync("ada.lovelace");
            await BrowserApp.ScreenshotAsync(page, "regrade-done");
        }
        Assert.True(streams.Any(s => s.StartsWith("200 text/event-stream", StringComparison.Ordinal)), $"No event stream was read: {string.Join(", ", streams)}");
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }
}
