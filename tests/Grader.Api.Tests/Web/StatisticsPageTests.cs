using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grader.Api.Auth;
using Grader.Api.Submissions;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Grader.Api.Tests.Web;

/// <summary>
/// The instructor's statistics and regrade pages over a known cohort stored straight in the
/// database: the figures the page draws are counted again here, from the same list of results.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class StatisticsPageTests(GraderApp app) : IClassFixture<GraderApp>
{
    private static readonly (string Name, string Exercise, string Visibility)[] Cases =
    [
        ("norm-small", "ex1", "Visible"), ("norm-secret", "ex1", "Hidden"), ("norm-later", "ex1", "AfterDue"),
        ("dot-visible", "ex2", "Visible"), ("dot-secret", "ex2", "Hidden"),
    ];

    private static string Manifest(string id) => JsonSerializer.Serialize(new
    {
        id, title = $"Norms {id}", course = "Tests", week = 1,
        exercises = new[] { new { id = "ex1", title = "Norm", points = 6 }, new { id = "ex2", title = "Dot", points = 4 } },
        cases = Cases.Select(c => new { name = c.Name, exercise = c.Exercise, function = "F", args = Array.Empty<int>(), visibility = c.Visibility }),
    });

    // Per student, their counting submission: which cases passed (null: it did not compile) and its score out of 10.
    private static readonly (bool[]? Passed, double Score)[] Cohort =
    [
        ([true, true, true, true, true], 10),
        ([true, false, true, true, false], 7.5),
        ([true, false, false, true, false], 5),
        ([false, false, false, true, true], 3.5),
        ([true, true, false, false, false], 0.5),
        (null, 0),
    ];

    [Fact]
    public async Task The_figures_are_those_of_each_students_counting_submission()
    {
        var id = $"stats-{Guid.NewGuid():N}"[..16];
        await app.SeedAssignmentAsync(id, Manifest(id));
        foreach (var (passed, score) in Cohort)
        {
            var (_, student, _) = await app.CreateUserAsync(Roles.Student);
            // An earlier, worse attempt that does not count: it is in the timeline only.
            await InsertAsync(id, student.Id, [false, false, false, false, false], 0, counting: false, DateTimeOffset.UtcNow.AddDays(-2));
            await InsertAsync(id, student.Id, passed, score, counting: true, DateTimeOffset.UtcNow);
        }
        var browser = await InstructorAsync();

        var html = await browser.GetHtmlAsync($"/instructor/assignments/{id}/statistics");

        // One bar per case, hidden (and after-due) ones marked.
        var casesSvg = Svg(html, "cases");
        Assert.Equal(Cases.Length, Regex.Matches(casesSvg, "<g class=\"row( marked)?\"").Count);
        Assert.Equal(Cases.Count(c => c.Visibility != "Visible"), Regex.Matches(casesSvg, "<g class=\"row marked\"").Count);
        Assert.Contains("<title id=\"cases-title\">Pass rate per case</title>", casesSvg, StringComparison.Ordinal);
        // The table alternative: passed and ran per case, counted here from the cohort (the student who did not compile ran nothing).
        var ran = Cohort.Count(c => c.Passed is not null);
        for (var i = 0; i < Cases.Length; i++)
        {
            var passed = Cohort.Count(c => c.Passed?[i] == true);
            Assert.Matches($"<th scope=\"row\">{Cases[i].Name}</th>\\s*<td>[^<]+</td>\\s*<td>[^<]+</td>\\s*<td>{passed}</td>\\s*<td>{ran}</td>", html);
        }
        // The histogram: ten bands of ten points, 100 % in the last.
        var bands = new int[10];
        foreach (var (_, score) in Cohort)
        {
            bands[Math.Min(9, (int)(score / 10 * 10))]++;
        }
        Assert.Equal(10, Regex.Matches(Svg(html, "scores"), "<g class=\"column\"").Count);
        for (var b = 0; b < 10; b++)
        {
            var band = b == 9 ? "90 to 100 %" : $"{b * 10} to under {b * 10 + 10} %";
            Assert.Contains($"<tr><th scope=\"row\">{band}</th><td>{bands[b]}</td></tr>", html, StringComparison.Ordinal);
        }
        // The timeline counts every submission: two per student, on two days with an empty one between.
        var days = Regex.Matches(html, "<tr><th scope=\"row\">\\d{4}-\\d{2}-\\d{2}</th><td>(\\d+)</td><td>(\\d+)</td></tr>").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Cohort.Length * 2, days.Sum());
        Assert.Equal(3, days.Count);
        // Most failed per exercise: counted from the cohort too.
        foreach (var exercise in new[] { "ex1", "ex2" })
        {
            var worst = Enumerable.Range(0, Cases.Length).Where(i => Cases[i].Exercise == exercise)
                .OrderByDescending(i => Cohort.Count(c => c.Passed?[i] == false)).First();
            var title = exercise == "ex1" ? "Norm" : "Dot";
            Assert.Matches($"<th scope=\"row\">{title}</th>\\s*<td>{Cases[worst].Name}</td>\\s*<td>[^<]+</td>\\s*<td>{Cohort.Count(c => c.Passed?[worst] == false)}</td>", html);
        }
        Assert.Equal(4, Regex.Matches(html, "<details class=\"chart-data\">").Count);
        Assert.Equal(4, Regex.Matches(html, "<svg class=\"chart\"[^>]*role=\"img\"").Count);
        Assert.Contains("counting submission", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assignment_nobody_submitted_to_says_so_instead_of_empty_plots()
    {
        var id = $"empty-{Guid.NewGuid():N}"[..16];
        await app.SeedAssignmentAsync(id, Manifest(id));
        var browser = await InstructorAsync();

        var html = await browser.GetHtmlAsync($"/instructor/assignments/{id}/statistics");

        Assert.Contains("Nobody has submitted yet.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg class=\"chart\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Students_are_refused_the_statistics_and_regrade_pages()
    {
        var id = $"refuse-{Guid.NewGuid():N}"[..16];
        await app.SeedAssignmentAsync(id, Manifest(id));
        var (_, _, key) = await app.CreateUserAsync(Roles.Student);
        var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);

        foreach (var path in new[] { $"/instructor/assignments/{id}/statistics", "/instructor/statistics", $"/instructor/assignments/{id}/regrades/{Guid.NewGuid()}" })
        {
            var response = await browser.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/sign-in", SignInPath(response), StringComparison.Ordinal);
        }
        var post = await browser.Client.PostAsync($"/instructor/assignments/{id}/regrade", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM regrades WHERE assignment_id = $1", id));
    }

    [Fact]
    public async Task The_regrade_page_counts_what_is_regraded_and_which_grades_changed()
    {
        var id = $"regrade-{Guid.NewGuid():N}"[..16];
        await app.SeedAssignmentAsync(id, Manifest(id));
        var students = new List<(Guid Student, Guid Submission, string ExternalId)>();
        foreach (var (passed, score) in Cohort.Take(3))
        {
            var (_, student, _) = await app.CreateUserAsync(Roles.Student);
            students.Add((student.Id, await InsertAsync(id, student.Id, passed, score, counting: true, DateTimeOffset.UtcNow), student.ExternalId));
        }
        var browser = await InstructorAsync();

        var started = await browser.SubmitFormAsync($"/instructor/assignments/{id}/statistics", $"/instructor/assignments/{id}/regrade");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var page = PageSession.Location(started);
        Assert.Matches($"^/instructor/assignments/{id}/regrades/[0-9a-f-]{{36}}$", page);
        var regradeId = Guid.Parse(page[^36..]);

        var before = await browser.GetHtmlAsync(page);
        Assert.Matches("<progress id=\"regrade-progress\" max=\"3\" value=\"0\"", before);
        Assert.Contains("<span class=\"finished\">0</span> of <span class=\"total\">3</span> regraded", before, StringComparison.Ordinal);
        Assert.Contains("data-regrade-events=\"", before, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{page}\">Refresh</a>", before, StringComparison.Ordinal);

        // Two finish: the first student's grade drops, the second's stays.
        await FinishAsync(id, regradeId, students[0].Student, students[0].Submission, 4);
        await FinishAsync(id, regradeId, students[1].Student, students[1].Submission, Cohort[1].Score);
        var partway = await browser.GetHtmlAsync(page);
        Assert.Matches("<progress id=\"regrade-progress\" max=\"3\" value=\"2\"", partway);
        Assert.Contains("<span class=\"finished\">2</span> of <span class=\"total\">3</span> regraded, <span class=\"changed\">1</span> <span class=\"changed-noun\">grade</span> changed",
            Regex.Replace(partway, "\\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("Changed grades", partway, StringComparison.Ordinal);

        await FinishAsync(id, regradeId, students[2].Student, students[2].Submission, Cohort[2].Score);
        var done = await browser.GetHtmlAsync(page);
        Assert.Contains("<span class=\"percent\">100 %</span>", done, StringComparison.Ordinal);
        Assert.DoesNotContain("data-regrade-events=\"", done, StringComparison.Ordinal);
        Assert.Matches($"<th scope=\"row\">{students[0].ExternalId}</th>\\s*<td class=\"before\">10</td>\\s*<td class=\"after\">4</td>", done);
        Assert.DoesNotContain(students[1].ExternalId, done, StringComparison.Ordinal);
        // The event stream of a finished regrade sends its figures once and ends.
        var events = await browser.Client.GetStringAsync($"{page}/events");
        Assert.Contains("event: progress\ndata: {\"total\":3,\"finished\":3,\"changed\":1,\"percent\":100}", events, StringComparison.Ordinal);
        // The JSON API reads the same figures.
        var (api, _, _) = await app.CreateUserAsync(Roles.Instructor);
        var status = await (await api.GetAsync($"/api/instructor/assignments/{id}/regrades/{regradeId}")).ReadAsync<RegradeStatusView>();
        Assert.Equal((3, 0, 3, 1), (status.Total, status.Pending, status.Finished, status.Changed));
    }

    // As the grader does it: the result and the grade, then the regrade's part, in one transaction.
    private async Task FinishAsync(string assignmentId, Guid regradeId, Guid student, Guid submission, double score)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE submissions SET status = 'Graded', score = $2 WHERE id = $1", connection, transaction))
        {
            update.Parameters.Add(new() { Value = submission });
            update.Parameters.Add(new() { Value = score });
            await update.ExecuteNonQueryAsync();
        }
        await using (var grade = new NpgsqlCommand("UPDATE grades SET raw_score = $3, score = $3 WHERE student_id = $1 AND assignment_id = $2", connection, transaction))
        {
            grade.Parameters.Add(new() { Value = student });
            grade.Parameters.Add(new() { Value = assignmentId });
            grade.Parameters.Add(new() { Value = score });
            await grade.ExecuteNonQueryAsync();
        }
        await app.Services.GetRequiredService<RegradeStore>().RecordFinishedAsync(connection, transaction, regradeId, submission, SubmissionState.Graded, score, 10, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task<Guid> InsertAsync(string assignmentId, Guid student, bool[]? passed, double score, bool counting, DateTimeOffset at)
    {
        var report = JsonSerializer.Serialize(new
        {
            assignmentId,
            status = passed is null ? "CompileError" : "Graded",
            score, maxScore = 10.0, summary = "",
            exercises = passed is null ? [] : new[] { "ex1", "ex2" }.Select(e => new
            {
                id = e, title = e, score = 0, maxScore = 0,
                cases = Cases.Select((c, i) => (c, i)).Where(x => x.c.Exercise == e).Select(x => new
                {
                    name = x.c.Name, exercise = e, function = "F", verdict = passed[x.i] ? "Passed" : "WrongAnswer", hidden = x.c.Visibility != "Visible",
                }),
            }).ToArray<object>(),
        });
        var id = Guid.CreateVersion7();
        await app.ExecuteAsync(
            """
            INSERT INTO submissions (id, student_id, assignment_id, assignment_version, source, source_hash, status, submitted_at, queued_at, finished_at, score, max_score, report)
            VALUES ($1, $2, $3, 1, '', '', $4, $5, $5, $5, $6, 10, $7::jsonb)
            """, id, student, assignmentId, passed is null ? "CompileError" : "Graded", at, score, report);
        if (counting)
        {
            await app.ExecuteAsync(
                "INSERT INTO grades (student_id, assignment_id, submission_id, raw_score, max_score, days_late, penalty, score) VALUES ($1, $2, $3, $4, 10, 0, 0, $4)",
                student, assignmentId, id, score);
        }
        return id;
    }

    private async Task<PageSession> InstructorAsync()
    {
        var (_, _, key) = await app.CreateUserAsync(Roles.Instructor);
        var browser = PageSession.Open(app);
        await browser.SignInWithKeyAsync(key);
        return browser;
    }

    private static string SignInPath(HttpResponseMessage response) => new Uri(new Uri("http://grader"), PageSession.Location(response)).AbsolutePath;

    private static string Svg(string html, string id) =>
        Regex.Match(html, $"<svg class=\"chart\"[^>]*aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\".*?</svg>", RegexOptions.Singleline) is { Success: true } m
            ? m.Value
            : throw new Xunit.Sdk.XunitException($"No chart {id} on the page:\n{html}");
}
