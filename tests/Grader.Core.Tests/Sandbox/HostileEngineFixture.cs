using System.Collections.Concurrent;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;
using Microsoft.Extensions.Logging;

namespace Grader.Core.Tests.Sandbox;

/// <summary>
/// A grading engine of its own for hostile submissions, with the small test package loaded and
/// every host log line captured, so tests can check what student code managed to put there.
/// </summary>
public abstract class HostileEngineFixtureBase(IsolationPreference isolation) : IAsyncLifetime
{
    public static string PackageDirectory { get; } = Path.Combine(EngineFixture.RepositoryRoot, "tests", "Grader.Core.Tests", "Sandbox", "hostile-submissions");

    /// <summary>A correct submission written the way a student would, unlike the reference.</summary>
    public const string Benign = """
        using MathNet.Numerics.LinearAlgebra;

        double Mean(double[] xs)
        {
            double sum = 0;
            foreach (var x in xs)
            {
                sum += x;
            }
            return sum / xs.Length;
        }

        Matrix<double> Scale(Matrix<double> M, double k) => M.Multiply(k);
        """;

    /// <summary>Values of the hidden cases' inputs and expected results: never in a report or a log.</summary>
    public static readonly string[] HiddenValues = ["31337", "27182", "8856.78", "108729"];

    public CapturingLoggerFactory Log { get; } = new();

    public GradingEngine Engine { get; private set; } = null!;

    public AssignmentPackage Package { get; private set; } = null!;

    public ExpectedOutputs Expected { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (isolation == IsolationPreference.Auto && Environment.GetEnvironmentVariable("GRADER_TEST_ISOLATION") is { Length: > 0 } mode)
        {
            isolation = Enum.Parse<IsolationPreference>(mode, ignoreCase: true);
        }
        // A short compile deadline keeps compile bombs cheap; a fresh compiler must still start within it.
        Engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 2, Isolation = isolation, CompileTimeoutMs = 6_000 }, Log);
        await Engine.WarmAsync(CancellationToken.None);
        var loaded = AssignmentPackage.Load(PackageDirectory);
        Package = loaded.Package ?? throw new InvalidOperationException(string.Join("; ", loaded.Problems));
        Expected = await Engine.ComputeExpectedAsync(Package, CancellationToken.None);
    }

    public Task<GradeReport> GradeAsync(string source, GradeOptions? options = null) =>
        Engine.GradeAsync(Package, Expected, source, options ?? new GradeOptions(), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        Log.Dispose();
    }
}

public sealed class HostileEngineFixture() : HostileEngineFixtureBase(IsolationPreference.Auto);

public sealed class FallbackHostileEngineFixture() : HostileEngineFixtureBase(IsolationPreference.Fallback);

/// <summary>
/// One collection for both modes, so hostile tests run one at a time: a looping submission
/// holds a whole core, and two at once on a small machine would slow the benign ones they check.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileEngineFixture>, ICollectionFixture<FallbackHostileEngineFixture>
{
    public const string Name = "hostile";
}

/// <summary>Keeps every log line (message and exception) so tests can search it.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string Text => string.Join(Environment.NewLine, _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(_lines, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
