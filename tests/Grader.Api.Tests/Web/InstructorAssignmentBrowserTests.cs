using System.Text.RegularExpressions;
using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Tests.Assignments;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Grader.Api.Tests.Web;

/// <summary>
/// An instructor in real Chromium: uploads a package whose reference is broken and sees the
/// validation fail and publishing refused, then uploads the fixed package as a folder, sees it
/// validated and publishes it; then sets the due date and the penalty.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class InstructorAssignmentBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Id = "pages-sums";
    private static readonly float Validation = 180_000;

    [Fact]
    public async Task A_broken_package_shows_its_failed_validation_and_cannot_be_published_and_a_good_folder_validates_and_publishes()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        await app.StartWorkerAsync();
        var work = Directory.CreateTempSubdirectory("grader-pages-").FullName;
        var zip = Path.Combine(work, "broken.zip");
        await File.WriteAllBytesAsync(zip, PackageFiles.ToZip(PackageValidationTests.Package(Id, brokenReference: true)));
        var folder = Path.Combine(work, Id);
        foreach (var (path, bytes) in PackageValidationTests.Package(Id))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            await File.WriteAllBytesAsync(Path.Combine(folder, path), bytes);
        }
        var page = await app.NewPageAsync();
        var problems = BrowserFlows.Watch(page);
        await BrowserFlows.SignInWithKeyAsync(page, key);

        await page.GetByRole(AriaRole.Link, new() { Name = "Manage assignments" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Manage assignments" })).ToBeVisibleAsync();
        await page.GetByLabel("The package as a .zip file").SetInputFilesAsync(zip);
        await page.GetByLabel("Publish it as soon as it validates").CheckAsync();
        await BrowserApp.ScreenshotAsync(page, "instructor-upload");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/instructor/assignments/{Id}\\?uploaded=1$"));
        var v1 = page.Locator("section.version").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Version 1" }) });
        await Expect(v1.Locator(".validation")).ToHaveTextAsync("Failed validation", new() { Timeout = Validation });
        await Expect(v1.Locator("ul.problems")).ToContainTextAsync("reference.csx scores 8 of 10");
        await Expect(page.Locator("#published-state")).ToHaveTextAsync("Not published");
        await BrowserApp.ScreenshotAsync(page, "instructor-validation-failed");
        Assert.True(problems.IsEmpty, string.Join("\n", problems));

        var refused = await page.RunAndWaitForResponseAsync(
            () => v1.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync(), r => r.Url.EndsWith("/publish", StringComparison.Ordinal));
        Assert.Equal(409, refused.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("failed validation and cannot be published");
        await Expect(page.Locator("ul.problems").First).ToContainTextAsync("reference.csx scores 8 of 10");
        await Expect(page.Locator("#published-state")).ToHaveTextAsync("Not published");
        await BrowserApp.ScreenshotAsync(page, "instructor-publish-refused");

        await page.GotoAsync("/instructor/assignments");
        await page.GetByLabel("Or the package folder").SetInputFilesAsync(folder);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/instructor/assignments/{Id}\\?uploaded=2$"));
        var v2 = page.Locator("section.version").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Version 2" }) });
        await Expect(v2.Locator(".validation")).ToHaveTextAsync("Validated", new() { Timeout = Validation });
        await Expect(v2.Locator("ul.checks")).ToContainTextAsync("reference.csx scores 10 / 10");
        await v2.GetByRole(AriaRole.Button, new() { Name = "Publish version 2" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Version 2 is published: students see it now.");
        await Expect(page.Locator("#published-state")).ToHaveTextAsync("Published: version 2");
        await BrowserApp.ScreenshotAsync(page, "instructor-published");
        Assert.True(await app.ScalarAsync<bool>("SELECT published AND current_version = 2 FROM assignments WHERE id = $1", Id));

        await page.GotoAsync("/instructor/assignments");
        await Expect(page.Locator("table.instructor-assignments")).ToContainTextAsync("Published (version 2)");
        await BrowserApp.ScreenshotAsync(page, "instructor-assignments");
    }

    [Fact]
    public async Task The_settings_page_shows_the_apis_messages_and_saves_valid_settings()
    {
        const string id = "pages-settings";
        await app.SeedAssignmentAsync(id, GraderApp.Manifest(id));
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        var page = await app.NewPageAsync();
        await BrowserFlows.SignInWithKeyAsync(page, key);

        await page.GotoAsync($"/instructor/assignments/{id}/settings");
        await page.GetByLabel("Due at").FillAsync("2026-03-01T23:59");
        await page.GetByLabel("Late penalty per day").FillAsync("2");
        await page.GetByLabel("Hard cutoff").FillAsync("2026-02-01T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("2 field(s) need a change");
        await Expect(page.Locator("#latePenaltyPerDay-error")).ToHaveTextAsync("A fraction of the score per day late, from 0 to 1 (0.1 = 10% a day).");
        await Expect(page.Locator("#hardCutoffAt-error")).ToHaveTextAsync("The hard cutoff is before the due date.");
        await Expect(page.GetByLabel("Late penalty per day")).ToHaveValueAsync("2");
        await BrowserApp.ScreenshotAsync(page, "instructor-settings-refused");

        await page.GetByLabel("Late penalty per day").FillAsync("0.1");
        await page.GetByLabel("Hard cutoff").FillAsync("");
        await page.GetByLabel("Submission limit per student").FillAsync("5");
        await page.GetByLabel("The last graded submission").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Settings saved");
        await Expect(page.GetByLabel("Due at")).ToHaveValueAsync("2026-03-01T23:59");
        await BrowserApp.ScreenshotAsync(page, "instructor-settings");
        Assert.Equal("2026-03-01 23:59:00+00 0.1 5 last t", await app.ScalarAsync<string>(
            "SELECT concat_ws(' ', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00', late_penalty_per_day, max_submissions, score_policy, reveal_after_due) FROM assignments WHERE id = $1", id));
    }
}
