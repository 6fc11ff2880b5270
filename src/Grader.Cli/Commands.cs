using System.Text.Json;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;
using Microsoft.Extensions.Logging;

namespace Grader.Cli;

internal static class Commands
{
    private const string Usage = """
        usage:
          grader grade <assignment-dir> <submission.csx> [--json | --gradescope] [--reveal-after-due]
          grader validate <assignment-dir> [<assignment-dir> …]
        options:
          --json               print the machine-readable report
          --gradescope         print the report as a Gradescope results.json
          --reveal-after-due   show after-due cases as visible (the due date has passed)
          --isolation MODE     auto (default), bubblewrap or fallback
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var flags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var isolation = IsolationPreference.Auto;
        int isolationIndex = Array.IndexOf(args, "--isolation");
        if (isolationIndex >= 0)
        {
            if (isolationIndex + 1 >= args.Length || !Enum.TryParse(args[isolationIndex + 1], ignoreCase: true, out isolation))
            {
                return Fail("--isolation takes auto, bubblewrap or fallback");
            }
            positional.Remove(args[isolationIndex + 1]);
        }
        if (positional.Count == 0 || flags.Contains("--help"))
        {
            Console.Out.WriteLine(Usage);
            return positional.Count == 0 && !flags.Contains("--help") ? 2 : 0;
        }
        using var loggerFactory = new StderrWarnings();
        try
        {
            return positional[0] switch
            {
                "grade" when positional.Count == 3 => await GradeAsync(positional[1], positional[2], flags, isolation, loggerFactory),
                "validate" when positional.Count >= 2 => await ValidateAsync(positional.Skip(1).ToList(), isolation, loggerFactory),
                _ => Fail(Usage),
            };
        }
        catch (ReferenceSolutionException e)
        {
            return Fail($"the package's reference solution is broken: {e.Message}");
        }
    }

    private static async Task<int> GradeAsync(string packageDir, string submissionPath, HashSet<string> flags, IsolationPreference isolation, ILoggerFactory loggerFactory)
    {
        var package = LoadOrReport(packageDir);
        if (package is null)
        {
            return 2;
        }
        if (!File.Exists(submissionPath))
        {
            return Fail($"{submissionPath}: no such file");
        }
        var source = await File.ReadAllTextAsync(submissionPath);
        await using var engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 1, Isolation = isolation }, loggerFactory);
        var expected = await ExpectedCache.GetAsync(engine, package, CancellationToken.None);
        var report = await engine.GradeAsync(package, expected, source, new GradeOptions { RevealAfterDueCases = flags.Contains("--reveal-after-due") }, CancellationToken.None);
        if (flags.Contains("--json"))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ReportText.JsonOptions));
        }
        else if (flags.Contains("--gradescope"))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(GradescopeResults.From(report, package.Manifest), ReportText.JsonOptions));
        }
        else
        {
            Console.Out.Write(ReportText.Render(report, package.Manifest));
        }
        return 0;
    }

    private static async Task<int> ValidateAsync(List<string> packageDirs, IsolationPreference isolation, ILoggerFactory loggerFactory)
    {
        await using var engine = GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 1, Isolation = isolation }, loggerFactory);
        int failures = 0;
        foreach (var dir in packageDirs)
        {
            var package = LoadOrReport(dir);
            if (package is null)
            {
                failures++;
                continue;
            }
            var report = await engine.ValidateAsync(package, CancellationToken.None);
            Console.Out.WriteLine($"{package.Id}: {(report.Passed ? "valid" : "INVALID")}");
            foreach (var check in report.Checks)
            {
                Console.Out.WriteLine($"  ok    {check}");
            }
            foreach (var problem in report.Problems)
            {
                Console.Out.WriteLine($"  FAIL  {problem}");
            }
            failures += report.Passed ? 0 : 1;
        }
        return failures == 0 ? 0 : 1;
    }

    private static AssignmentPackage? LoadOrReport(string dir)
    {
        var loaded = AssignmentPackage.Load(dir);
        foreach (var problem in loaded.Problems)
        {
            Console.Error.WriteLine($"{Path.Combine(dir, problem.File)}: {(problem.Field.Length > 0 ? problem.Field + ": " : "")}{problem.Reason}");
        }
        return loaded.Package;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    /// <summary>Shows warnings (such as reduced isolation) on stderr, keeping stdout for the report.</summary>
    private sealed class StderrWarnings : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    Console.Error.WriteLine($"grader: {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
                }
            }
        }
    }
}
