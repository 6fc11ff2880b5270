using System.Collections.Concurrent;
using System.Text.Json;
using Grader.Api.Assignments;
using Grader.Api.Hosting;
using Grader.Core.Assignments;
using Grader.Core.Grading;

namespace Grader.Api.Submissions;

public sealed record LoadedVersion(AssignmentPackage Package, ExpectedOutputs Expected);

// Assignment versions loaded once per process. Expected outputs come from the database, or are
// computed from the reference once (by whichever worker first needs them) and stored there.
public sealed class PackageCache(AssignmentStore assignments, GradingEngineHost engineHost, ILogger<PackageCache> logger)
{
    private readonly ConcurrentDictionary<(string, int), Lazy<Task<LoadedVersion>>> _versions = new();

    public async Task<LoadedVersion> GetAsync(string assignmentId, int version, CancellationToken cancellationToken)
    {
        var lazy = _versions.GetOrAdd((assignmentId, version), key => new(() => LoadAsync(key.Item1, key.Item2)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            // Do not cache a failure: the next job tries again.
            _versions.TryRemove(new((assignmentId, version), lazy));
            throw;
        }
    }

    private async Task<LoadedVersion> LoadAsync(string assignmentId, int version)
    {
        var stored = await assignments.GetVersionAsync(assignmentId, version, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Assignment {assignmentId} has no version {version}.");
        var loaded = AssignmentPackage.LoadFromFiles(PackageFiles.FromZip(stored.PackageZip));
        var package = loaded.Package ?? throw new InvalidOperationException(
            $"Stored package {assignmentId} v{version} no longer loads: {string.Join("; ", loaded.Problems)}");

        if (stored.ExpectedJson is { } json && JsonSerializer.Deserialize<ExpectedOutputs>(json, Json.Options) is { } cached && cached.PackageHash == package.ContentHash)
        {
            return new LoadedVersion(package, cached);
        }
        var engine = await engineHost.GetAsync(CancellationToken.None).ConfigureAwait(false);
        var expected = await engine.ComputeExpectedAsync(package, CancellationToken.None).ConfigureAwait(false);
        await assignments.SaveExpectedAsync(assignmentId, version, JsonSerializer.Serialize(expected, Json.Options), CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Computed expected outputs for {Assignment} v{AssignmentVersion}", assignmentId, version);
        return new LoadedVersion(package, expected);
    }
}
