using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Grader.Cli.Tests;

/// <summary>The student verbs of the installed `grader` command against a real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServerCommandTests(CliServer server) : IClassFixture<CliServer>
{
    private const string Id = CliServer.AssignmentId;

    [Fact]
    public async Task Login_fetch_test_submit_status_history_and_logout_work_end_to_end()
    {
        var (_, _, key) = await server.CreateUserAsync(Roles.Student);
        using var tool = new GraderTool();
        var home = tool.NewFolder("home");

        var login = await tool.RunAsync(home, $"{key}\n", "login", server.BaseUrl);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tool.CredentialsPath));
        Assert.Contains(key, await File.ReadAllTextAsync(tool.CredentialsPath), StringComparison.Ordinal);
        Assert.DoesNotContain(key, login.Stdout + login.Stderr, StringComparison.Ordinal);

        var assignments = await tool.RunAsync(home, null, "assignments");
        Assert.True(assignments.ExitCode == 0, assignments.ToString());
        Assert.Contains(Id, assignments.Stdout, StringComparison.Ordinal);

        var fetch = await tool.RunAsync(home, null, "fetch", Id);
        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        var folder = Path.Combine(home, Id);
        var fetched = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.Contains(Path.Combine(folder, "solution.csx"), fetched);
        Assert.Contains(Path.Combine(folder, "README.md"), fetched);
        Assert.DoesNotContain(fetched, f => Path.GetFileName(f) == "reference.csx");
        var everything = string.Concat(fetched.Select(File.ReadAllText));
        Assert.Contains("add-small", everything, StringComparison.Ordinal);
        foreach (var hidden in new[] { "add-secret", "add-later", "scale-secret", "4321", "98765", "7000.5" })
        {
            Assert.DoesNotContain(hidden, everything, StringComparison.Ordinal);
        }

        // The starter as fetched: graded locally against the visible cases, it fails them.
        var starterTest = await tool.RunAsync(folder, null, "test");
        Assert.True(starterTest.ExitCode == 1, starterTest.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, "solution.csx"), TestPackages.Text(Id, "reference.csx"));
        var test = await tool.RunAsync(folder, null, "test");
        Assert.True(test.ExitCode == 0, test.ToString());

        var submit = await tool.RunAsync(folder, null, "submit");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        Assert.Contains("10", submit.Stdout, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(folder, "wrong.csx"), TestPackages.Text(Id, "reference.csx").Replace("=> a + b;", "=> a - b;", StringComparison.Ordinal));
        var wrong = await tool.RunAsync(folder, null, "submit", "wrong.csx");
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.csx"), "double Add(double a, double b) => a + ;\n");
        var broken = await tool.RunAsync(folder, null, "submit", "broken.csx", "--json");
        Assert.True(broken.ExitCode == 2, broken.ToString());
        Assert.Contains("\"CompileError\"", broken.Stdout, StringComparison.Ordinal);

        var status = await tool.RunAsync(folder, null, "status");
        Assert.True(status.ExitCode == 2, status.ToString());
        var history = await tool.RunAsync(folder, null, "history", "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(history.Stdout).RootElement.GetArrayLength());

        var logout = await tool.RunAsync(home, null, "logout");
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.False(File.Exists(tool.CredentialsPath));
        var afterwards = await tool.RunAsync(home, null, "assignments");
        Assert.Equal(3, afterwards.ExitCode);
        Assert.Contains("grader login", afterwards.Stderr, StringComparison.Ordinal);
    }

    // The instructor verbs: upload and publish a package folder, read the gradebook, regrade.
    [Fact]
    public async Task An_instructor_uploads_and_publishes_a_package_reads_the_gradebook_and_regrades()
    {
        const string id = "cli-upload";
        var package = Directory.CreateTempSubdirectory("grader-cli-package-").FullName;
        foreach (var (path, bytes) in TestPackages.Files(Id))
        {
            var target = Path.Combine(package, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, path == "assignment.json"
                ? System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace($"\"{Id}\"", $"\"{id}\"", StringComparison.Ordinal))
                : bytes);
        }
        var (_, _, instructorKey) = await server.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await server.CreateUserAsync(Roles.Student);
        using var tool = new GraderTool();
        var home = tool.NewFolder("home");
        Assert.Equal(0, (await tool.RunAsync(home, $"{instructorKey}\n", "login", server.BaseUrl)).ExitCode);

        var upload = await tool.RunAsync(home, null, "upload", package, "--publish");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Contains("passed validation and is published", upload.Stdout, StringComparison.Ordinal);
        var published = await student.GetAsync($"/api/assignments/{id}");
        Assert.True(published.IsSuccessStatusCode, $"{upload}\n{await published.Content.ReadAsStringAsync()}");

        var result = await student.WaitForResultAsync((await student.SubmitAsync(id, TestPackages.Text(Id, "reference.csx"))).Id);
        Assert.Equal(10, result.Score);

        var gradebook = await tool.RunAsync(home, null, "gradebook", id, "--csv");
        Assert.True(gradebook.ExitCode == 0, gradebook.ToString());
        Assert.Equal(2, gradebook.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("10", gradebook.Stdout, StringComparison.Ordinal);

        var regrade = await tool.RunAsync(home, null, "regrade", id, "--json");
        Assert.True(regrade.ExitCode == 0, regrade.ToString());
        var regraded = await server.ScalarAsync<long>("SELECT count(*) FROM submissions WHERE assignment_id = $1 AND regrade_id IS NOT NULL AND status = 'Graded'", id);
        Assert.Equal(1L, regraded);
    }

    [Fact]
    public async Task Upload_with_publish_of_a_package_whose_reference_is_broken_prints_the_failed_validation_and_exits_1()
    {
        const string id = "cli-broken";
        var package = Directory.CreateTempSubdirectory("grader-cli-broken-").FullName;
        foreach (var (path, bytes) in Grader.Api.Tests.Assignments.PackageValidationTests.Package(id, brokenReference: true))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(package, path))!);
            await File.WriteAllBytesAsync(Path.Combine(package, path), bytes);
        }
        var (_, _, instructorKey) = await server.CreateUserAsync(Roles.Instructor);
        var (student, _, _) = await server.CreateUserAsync(Roles.Student);
        using var tool = new GraderTool();
        var home = tool.NewFolder("home");
        Assert.Equal(0, (await tool.RunAsync(home, $"{instructorKey}\n", "login", server.BaseUrl)).ExitCode);

        var upload = await tool.RunAsync(home, null, "upload", package, "--publish");

        Assert.True(upload.ExitCode == 1, upload.ToString());
        Assert.Contains("reference.csx scores 8 of 10", upload.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed validation and was not published", upload.Stdout, StringComparison.Ordinal);
        Assert.False((await student.GetAsync($"/api/assignments/{id}")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Login_with_a_sign_in_link_stores_a_key_and_the_link_works_once()
    {
        var (_, user, _) = await server.CreateUserAsync(Roles.Student);
        var (_, token) = await server.Services.GetRequiredService<SignInLinkStore>().CreateAsync(user.Id, CancellationToken.None);
        var link = SignInEndpoints.LinkUrl(server.BaseUrl, token);
        using var tool = new GraderTool();
        var home = tool.NewFolder("home");

        var login = await tool.RunAsync(home, null, "login", link);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tool.CredentialsPath));
        Assert.Contains(user.Id.ToString(), await File.ReadAllTextAsync(tool.CredentialsPath), StringComparison.Ordinal);
        var assignments = await tool.RunAsync(home, null, "assignments", "--json");
        Assert.True(assignments.ExitCode == 0, assignments.ToString());
        Assert.Contains($"\"{Id}\"", assignments.Stdout, StringComparison.Ordinal);

        using var other = new GraderTool();
        var again = await other.RunAsync(other.NewFolder("home"), null, "login", link);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("already been used", again.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(other.CredentialsPath));
    }

    [Fact]
    public async Task What_a_hostile_submission_prints_never_reaches_the_terminal_raw()
    {
        var (_, _, key) = await server.CreateUserAsync(Roles.Student);
        using var tool = new GraderTool();
        var home = tool.NewFolder("home");
        Assert.Equal(0, (await tool.RunAsync(home, null, "login", server.BaseUrl, "--api-key", key)).ExitCode);
        Assert.Equal(0, (await tool.RunAsync(home, null, "fetch", Id)).ExitCode);
        var folder = Path.Combine(home, Id);
        // Clears the screen and paints a fake green verdict, then NUL, a right-to-left override and 1 MB.
        var hostile = TestPackages.Text(Id, "reference.csx").Replace(
            "double Add(double a, double b) => a + b;",
            """
            double Add(double a, double b)
            {
                Console.Write("\u001b[2J\u001b[H\u001b[1;32mALL TESTS PASSED\u001b[0m\u0000\u202eevil\u0007");
                Console.Write(new string('x', 1_000_000));
                return a + b;
            }
            """,
            StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder, "solution.csx"), hostile);

        foreach (var verb in new[] { "test", "submit" })
        {
            ToolRun run;
            try
            {
                run = await tool.RunAsync(folder, null, verb);
            }
            catch (TimeoutException e)
            {
                var states = await server.ScalarAsync<string>("SELECT string_agg(status || ' attempts ' || attempts || ' ' || coalesce(report->>'summary', ''), '; ') FROM submissions");
                throw new TimeoutException($"{e.Message}\nSubmissions: {states}\n{string.Join("\n", server.Logs.Lines.TakeLast(30))}");
            }

            Assert.True(run.ExitCode == 1, $"{verb}: {run}");
            Assert.Contains("ALL TESTS PASSED", run.Stdout, StringComparison.Ordinal);
            foreach (var raw in new[] { '\u001b', '\0', '\u202e', '\u0007' })
            {
                Assert.False(run.Stdout.Contains(raw, StringComparison.Ordinal), $"{verb} printed U+{(int)raw:X4} raw.");
                Assert.False(run.Stderr.Contains(raw, StringComparison.Ordinal), $"{verb} printed U+{(int)raw:X4} raw on stderr.");
            }
            Assert.True(run.Stdout.Length < 100_000, $"{verb} printed {run.Stdout.Length} characters.");
        }
    }
}
