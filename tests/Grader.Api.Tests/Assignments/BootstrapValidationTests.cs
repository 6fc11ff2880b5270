using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Assignments;

/// <summary>A node that loads a packages folder at start: one good package and one whose reference is broken.</summary>
public sealed class BootstrapApp : WorkerApp
{
    public string Packages { get; } = Directory.CreateTempSubdirectory("grader-bootstrap-").FullName;

    public BootstrapApp()
    {
        Write("boot-good", PackageValidationTests.Package("boot-good"));
        Write("boot-broken", PackageValidationTests.Package("boot-broken", brokenReference: true));
        With("Grader:LoadAssignmentsOnStart", "true");
        With("Grader:AssignmentsDirectory", Packages);
    }

    private void Write(string name, Dictionary<string, byte[]> files)
    {
        foreach (var (path, bytes) in files)
        {
            var target = Path.Combine(Packages, name, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class BootstrapValidationTests(BootstrapApp app) : IClassFixture<BootstrapApp>
{
    private async Task WaitForAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(200);
        }
    }

    private Task<string?> StateAsync(string id) => app.ScalarAsync<string>(
        "SELECT concat_ws(' ', v.validation_state, a.published, v.validation_attempts) FROM assignments a JOIN assignment_versions v ON v.assignment_id = a.id WHERE a.id = $1", id);

    [Fact]
    public async Task Bootstrap_packages_are_published_once_validated_a_broken_one_is_not_and_a_restart_validates_nothing_again()
    {
        _ = app.Services; // starts the node, and with it the bootstrap
        // A loaded machine may retry a validation whose compile was cut off (the grader's fault, not the
        // package's), so the attempts are only required not to change after the restart.
        await WaitForAsync(async () => (await StateAsync("boot-good"))!.StartsWith("Passed t ", StringComparison.Ordinal)
                && (await StateAsync("boot-broken"))!.StartsWith("Failed f ", StringComparison.Ordinal),
            () => $"good: {StateAsync("boot-good").Result}, broken: {StateAsync("boot-broken").Result}");
        var validated = (await StateAsync("boot-good"), await StateAsync("boot-broken"));
        await WaitForAsync(() => Task.FromResult(app.Logs.Lines.Any(l => l.Contains("Assignment=boot-broken ", StringComparison.Ordinal)
                && l.Contains("failed validation and \"it was not published\"", StringComparison.Ordinal) && l.Contains("reference.csx scores 8 of 10", StringComparison.Ordinal))),
            () => "The log does not say why boot-broken was not published.");
        var jobs = await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ValidatePackageJob%'");
        Assert.Equal(2L, jobs);

        // Started again (an API node of its own on the same database): the bootstrap finds both
        // versions validated, publishes the good one, says why the broken one is not, and queues nothing.
        await using var restarted = NodeProcess.Start(app.ConnectionString, "api", "bootstrap-restart", settings: new Dictionary<string, string>
        {
            ["Grader__LoadAssignmentsOnStart"] = "true",
            ["Grader__AssignmentsDirectory"] = app.Packages,
        });
        await WaitForAsync(() => Task.FromResult(restarted.Lines.Any(l => l.Contains("boot-good", StringComparison.Ordinal) && l.Contains("passed validation before and is published", StringComparison.Ordinal))),
            () => $"The restarted node did not report boot-good:\n{restarted.Output}");
        Assert.Contains(restarted.Lines, l => l.Contains("boot-broken", StringComparison.Ordinal) && l.Contains("failed validation and is not published", StringComparison.Ordinal));
        Assert.Contains(restarted.Lines, l => l.Contains("boot-broken", StringComparison.Ordinal) && l.Contains("reference.csx scores 8 of 10", StringComparison.Ordinal));
        Assert.Equal(jobs, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ValidatePackageJob%'"));
        Assert.Equal(validated, (await StateAsync("boot-good"), await StateAsync("boot-broken")));
        Assert.Equal(2L, await app.ScalarAsync<long>("SELECT count(*) FROM assignment_versions WHERE assignment_id LIKE 'boot-%'"));
    }
}
