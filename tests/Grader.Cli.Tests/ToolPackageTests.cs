namespace Grader.Cli.Tests;

public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_tool_package_installs_into_a_tool_path_and_grader_help_runs()
    {
        using var tool = new GraderTool();

        var run = await tool.RunAsync(tool.NewFolder("help"), null, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var verb in new[] { "login", "logout", "assignments", "fetch", "test", "submit", "status", "history", "validate", "upload", "gradebook", "regrade" })
        {
            Assert.Contains($"  {verb} ", run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_mistyped_verb_says_what_to_type()
    {
        using var tool = new GraderTool();

        var run = await tool.RunAsync(tool.NewFolder("typo"), null, "sbumit");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("submit", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
