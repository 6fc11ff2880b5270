using System.Text;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Grader.Api.Tests.Web;

/// <summary>
/// An instructor in real Chromium: signs in with an API key, imports a 30-student roster, hands
/// one student a sign-in link that the student then uses, and follows the gradebook down to that
/// student's report, hidden cases included.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class InstructorBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Id = "api-sums";
    private const string Title = "Sums and scaling (service tests)";

    [Fact]
    public async Task An_instructor_imports_30_students_issues_a_sign_in_link_and_opens_a_students_report_from_the_gradebook()
    {
        var (instructorApi, _, key) = await app.CreateUserAsync(Roles.Instructor, "prof.noether");
        await app.StartWorkerAsync();
        await instructorApi.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(Id)));
        var page = await app.NewPageAsync();
        var problems = BrowserFlows.Watch(page);

        await BrowserFlows.SignInWithKeyAsync(page, key);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Instructor" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Roster" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roster", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Roster file (.csv)").SetInputFilesAsync(new FilePayload { Name = "cohort.csv", MimeType = "text/csv", Buffer = Cohort() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import roster" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Roster imported: 30 added, 0 updated, 0 unchanged.");
        await Expect(page.Locator("table.roster tbody tr")).ToHaveCountAsync(30);
        await Expect(page.Locator("table.roster caption")).ToHaveTextAsync("30 students");
        await Expect(page.Locator("table.roster")).ToContainTextAsync("<b>Grace</b> Hopper");
        await Expect(page.Locator("table.roster b")).ToHaveCountAsync(0);
        await BrowserApp.ScreenshotAsync(page, "instructor-roster");

        await page.GetByRole(AriaRole.Link, new() { Name = "s1007", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Student 7" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a sign-in link" }).ClickAsync();
        var link = page.GetByRole(AriaRole.Textbox, new() { Name = "Sign-in link", Exact = true });
        await Expect(link).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(app.BaseUrl)}/sign-in/[A-Za-z0-9_-]{{40,}}$"));
        await BrowserApp.ScreenshotAsync(page, "instructor-sign-in-link");
        var url = await link.InputValueAsync();

        // The student opens the link in a browser of their own and submits.
        var student = await app.NewPageAsync();
        await student.GotoAsync(url);
        await student.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(student.GetByText("Signed in as s1007")).ToBeVisibleAsync();
        await Expect(student.GetByRole(AriaRole.Navigation, new() { Name = "Instructor" })).ToHaveCountAsync(0);
        var studentId = (await app.Services.GetRequiredService<UserStore>().FindByExternalIdAsync("s1007", CancellationToken.None))!.Id;
        var (_, studentKey) = await app.Services.GetRequiredService<UserStore>().CreateKeyAsync(studentId, "test", CancellationToken.None);
        var studentApi = app.ClientWithKey(studentKey);
        var wrong = TestPackages.Text(Id, "reference.csx").Replace("v[i] * k", "v[i] + k", StringComparison.Ordinal);
        var submitted = await studentApi.SubmitAsync(Id, wrong);
        await studentApi.WaitForResultAsync(submitted.Id);

        await nav.GetByRole(AriaRole.Link, new() { Name = "Gradebook" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Effective score" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("\\?sort=score$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Effective score ▲" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("\\?sort=score&desc=true$"));
        var first = page.Locator("table.gradebook tbody tr").First;
        await Expect(first.Locator("th")).ToHaveTextAsync("s1007");
        await Expect(first).ToContainTextAsync("6 / 10");
        await Expect(page.Locator("table.gradebook tbody tr")).ToHaveCountAsync(30);
        await BrowserApp.ScreenshotAsync(page, "instructor-gradebook");

        await first.GetByRole(AriaRole.Link, new() { Name = "s1007" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Student 7 on {Title}" })).ToBeVisibleAsync();
        await Expect(page.Locator("table.submissions tbody tr")).ToHaveCountAsync(1);
        await BrowserApp.ScreenshotAsync(page, "instructor-student");
        await page.Locator("table.submissions").GetByRole(AriaRole.Link).First.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hidden cases instructors only" })).ToBeVisibleAsync();
        await Expect(page.Locator("table.scores tr.total")).ToContainTextAsync("6 / 10");
        await Expect(page.Locator("#hidden-scale-secret")).ToContainTextAsync("[98765.5,3]");
        await Expect(page.Locator("#hidden-scale-secret")).ToContainTextAsync("Wrong answer");
        await BrowserApp.ScreenshotAsync(page, "instructor-report");

        // A file with mistakes: the page says which lines to fix, and nothing was imported.
        await nav.GetByRole(AriaRole.Link, new() { Name = "Roster" }).ClickAsync();
        await page.GetByLabel("Roster file (.csv)").SetInputFilesAsync(new FilePayload
        {
            Name = "mistakes.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("s2001,Ada,ada@example.edu\ns2002,Grace\ns2003,Alan,alan-at-example\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import roster" }).ClickAsync();
        var errors = page.GetByRole(AriaRole.Alert);
        await Expect(errors).ToContainTextAsync("mistakes.csv was not imported");
        await Expect(errors.Locator("li")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("^Line 2: "), new System.Text.RegularExpressions.Regex("^Line 3: ")]);
        await Expect(page.Locator("table.roster tbody tr")).ToHaveCountAsync(30);
        await BrowserApp.ScreenshotAsync(page, "instructor-roster-errors");

        await nav.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add an endpoint" })).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "instructor-webhooks");
        await nav.GetByRole(AriaRole.Link, new() { Name = "LMS" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Canvas, autumn term");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add integration" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Integration secret" })).Not.ToHaveValueAsync("");
        await BrowserApp.ScreenshotAsync(page, "instructor-lms");
        // The refused import's 400 is the one failed response this flow expects.
        var unexpected = problems.Where(p => !p.Contains("400", StringComparison.Ordinal) || !p.Contains("/instructor/roster/import", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.Equal(2, problems.Count);
    }

    // 30 students, one with markup in her name that must show as text.
    private static byte[] Cohort()
    {
        var csv = new StringBuilder("external_id,name,email\n");
        for (var i = 1; i <= 30; i++)
        {
            csv.Append(i == 12 ? $"s{1000 + i},<b>Grace</b> Hopper,grace@example.edu\n" : $"s{1000 + i},Student {i},s{1000 + i}@example.edu\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
