using System.Text.Json;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;

namespace Grader.Cli.Local;

/// <summary>Expected outputs on disk by package hash, so the reference runs once per package version.</summary>
internal static class ExpectedCache
{
    public static async Task<ExpectedOutputs> GetAsync(GradingEngine engine, AssignmentPackage package, CancellationToken cancellationToken)
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var path = Path.Combine(root, "grader", "expected", package.ContentHash + ".json");
        if (File.Exists(path))
        {
            try
            {
                var cached = JsonSerializer.Deserialize<ExpectedOutputs>(await File.ReadAllTextAsync(path, cancellationToken), RunnerJson.Options);
                if (cached?.PackageHash == package.ContentHash)
                {
                    return cached;
                }
            }
            catch (JsonException)
            {
            }
        }
        var expected = await engine.ComputeExpectedAsync(package, cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Environment.ProcessId;
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(expected, RunnerJson.Options), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
            // A cache that cannot be written only costs a reference run next time.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return expected;
    }
}
