using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests;

/// <summary>One grading engine (compile server + runner pool) shared by the tests that run submissions.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    private readonly Dictionary<string, (AssignmentPackage Package, ExpectedOutputs Expected)> _packages = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _packagesLock = new(1, 1);

    public GradingEngine Engine { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string AssignmentsDirectory => Path.Combine(RepositoryRoot, "assignments");

    public async Task InitializeAsync()
    {
        var isolation = Environment.GetEnvironmentVariable("GRADER_TEST_ISOLATION") is { Length: > 0 } mode
            ? Enum.Parse<IsolationPreference>(mode, ignoreCase: true)
            : IsolationPreference.Auto;
        Engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 2, Isolation = isolation });
        await Engine.WarmAsync(CancellationToken.None);
    }

    /// <summary>Loads a package under assignments/ (or an absolute folder) with its expected outputs, once.</summary>
    public async Task<(AssignmentPackage Package, ExpectedOutputs Expected)> PackageAsync(string idOrPath)
    {
        await _packagesLock.WaitAsync();
        try
        {
            if (!_packages.TryGetValue(idOrPath, out var entry))
            {
                var dir = Path.IsPathRooted(idOrPath) ? idOrPath : Path.Combine(AssignmentsDirectory, idOrPath);
                var loaded = AssignmentPackage.Load(dir);
                var package = loaded.Package ?? throw new InvalidOperationException(string.Join("; ", loaded.Problems));
                entry = (package, await Engine.ComputeExpectedAsync(package, CancellationToken.None));
                _packages[idOrPath] = entry;
            }
            return entry;
        }
        finally
        {
            _packagesLock.Release();
        }
    }

    public async Task<GradeReport> GradeAsync(string idOrPath, string source, GradeOptions? options = null)
    {
        var (package, expected) = await PackageAsync(idOrPath);
        return await Engine.GradeAsync(package, expected, source, options ?? new GradeOptions(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        _packagesLock.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Grader.sln not found above the test assembly");
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
