using System.CommandLine;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Grader.Core.Sandbox;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Grader.Cli.Local;

/// <summary>The verbs that grade on this machine, in the same sandbox as the service: grade, validate, test.</summary>
internal static class LocalCommands
{
    private static readonly Option<IsolationPreference> IsolationOption = new("--isolation")
    {
        Description = "How student code is isolated: auto (bubblewrap when it works), bubblewrap, or fallback (rlimits only).",
        DefaultValueFactory = _ => IsolationPreference.Auto,
    };

    public static Command Grade(Option<bool> json)
    {
        var package = new Argument<DirectoryInfo>("assignment-dir") { Description = "A package folder (assignment.json, reference.csx, …)." };
        var submission = new Argument<FileInfo>("submission") { Description = "The .csx file to grade." };
        var gradescope = new Option<bool>("--gradescope") { Description = "Print the report as a Gradescope results.json." };
        var revealAfterDue = new Option<bool>("--reveal-after-due") { Description = "Show after-due cases as visible (the due date has passed)." };
        var command = new Command("grade", "Grade a file against a package on this machine (instructors: no server needed).")
        {
            package, submission, gradescope, revealAfterDue, IsolationOption,
        };
        command.SetAction((parse, cancellationToken) => GradeAsync(
            new Terminal(parse.GetValue(json)), parse.GetValue(package)!, parse.GetValue(submission)!, parse.GetValue(gradescope),
            parse.GetValue(revealAfterDue), parse.GetValue(IsolationOption), cancellationToken));
        return command;
    }

    public static Command Validate(Option<bool> json)
    {
        var packages = new Argument<DirectoryInfo[]>("assignment-dir") { Description = "One or more package folders.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check packages: the reference scores full marks, the starter compiles and scores 0, each recorded mistake scores what it declares.")
        {
            packages, IsolationOption,
        };
        command.SetAction((parse, cancellationToken) => ValidateAsync(new Terminal(parse.GetValue(json)), parse.GetValue(packages)!, parse.GetValue(IsolationOption), cancellationToken));
        return command;
    }

    public static Command Test(Option<bool> json)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = $"The solution to test (default: {FetchedFolder.SolutionFile} in the current folder). Its folder must hold what `grader fetch` wrote.",
            DefaultValueFactory = _ => new FileInfo(FetchedFolder.SolutionFile),
        };
        var command = new Command("test", "Grade your solution against the assignment's visible cases on this machine, offline, in the same sandbox as the server.")
        {
            file, IsolationOption,
        };
        command.SetAction((parse, cancellationToken) => TestAsync(new Terminal(parse.GetValue(json)), parse.GetValue(file)!, parse.GetValue(IsolationOption), cancellationToken));
        return command;
    }

    private static async Task<int> GradeAsync(Terminal terminal, DirectoryInfo packageDir, FileInfo submission, bool gradescope, bool revealAfterDue,
        IsolationPreference isolation, CancellationToken cancellationToken)
    {
        var package = Load(packageDir.FullName);
        var source = await ReadSourceAsync(submission, cancellationToken);
        await using var engine = Start(isolation);
        var report = await terminal.WithSpinnerAsync($"Grading {submission.Name}", async status =>
        {
            status("Running the reference solution (cached after the first time)");
            var expected = await ExpectedCache.GetAsync(engine, package, cancellationToken);
            status($"Grading {submission.Name}");
            return await engine.GradeAsync(package, expected, source, new GradeOptions { RevealAfterDueCases = revealAfterDue }, cancellationToken);
        });
        if (gradescope)
        {
            terminal.WriteJson(GradescopeResults.From(report, package.Manifest));
        }
        else if (terminal.Json)
        {
            terminal.WriteJson(report);
        }
        else
        {
            Terminal.WriteText(GradeReportText.Render(report, $"{package.Manifest.Title} ({package.Id})"));
        }
        return ExitCodes.For(report);
    }

    private static async Task<int> ValidateAsync(Terminal terminal, DirectoryInfo[] packageDirs, IsolationPreference isolation, CancellationToken cancellationToken)
    {
        await using var engine = Start(isolation);
        var results = new List<ValidationResult>();
        async Task RunAll(Action<string> started, Action finished)
        {
            foreach (var dir in packageDirs)
            {
                started(dir.Name);
                var loaded = AssignmentPackage.Load(dir.FullName);
                if (loaded.Package is not { } package)
                {
                    results.Add(new ValidationResult(dir.Name, false, [], [.. loaded.Problems.Select(p => $"{Path.Combine(dir.FullName, p.File)}: {p.Field}{(p.Field.Length > 0 ? ": " : "")}{p.Reason}")]));
                }
                else
                {
                    try
                    {
                        var report = await engine.ValidateAsync(package, cancellationToken);
                        results.Add(new ValidationResult(package.Id, report.Passed, report.Checks, report.Problems));
                    }
                    catch (ReferenceSolutionException e)
                    {
                        results.Add(new ValidationResult(package.Id, false, [], [$"the reference solution is broken: {e.Message}"]));
                    }
                }
                finished();
            }
        }
        if (terminal.Interactive && !terminal.Json)
        {
            await terminal.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Validating", maxValue: packageDirs.Length);
                    await RunAll(name => task.Description = Terminal.Safe($"Validating {name}"), () => task.Increment(1));
                });
        }
        else
        {
            await RunAll(name => { }, () => { });
        }
        if (terminal.Json)
        {
            terminal.WriteJson(results);
        }
        else
        {
            foreach (var result in results)
            {
                terminal.Out.MarkupLine(result.Valid ? $"[green]{Terminal.Safe(result.Package)}: valid[/]" : $"[red]{Terminal.Safe(result.Package)}: INVALID[/]");
                foreach (var check in result.Checks)
                {
                    terminal.Out.MarkupLine($"  [green]ok[/]    {Terminal.Safe(check)}");
                }
                foreach (var problem in result.Problems)
                {
                    terminal.Out.MarkupLine($"  [red]FAIL[/]  {Terminal.Safe(problem)}");
                }
            }
        }
        return results.All(r => r.Valid) ? 0 : 1;
    }

    private static async Task<int> TestAsync(Terminal terminal, FileInfo file, IsolationPreference isolation, CancellationToken cancellationToken)
    {
        var visible = FetchedFolder.Read(file.Directory ?? new DirectoryInfo("."));
        var source = await ReadSourceAsync(file, cancellationToken);
        var (package, expected) = visible.ToPackage();
        await using var engine = Start(isolation);
        var report = await terminal.WithSpinnerAsync($"Testing {file.Name} against {visible.Cases.Count} visible cases",
            _ => engine.GradeAsync(package, expected, source, new GradeOptions(), cancellationToken));
        if (terminal.Json)
        {
            terminal.WriteJson(report);
        }
        else
        {
            Terminal.WriteText(GradeReportText.Render(report, $"{visible.Title} ({visible.AssignmentId}), visible cases only: the server also grades hidden ones"));
        }
        return ExitCodes.For(report);
    }

    private sealed record ValidationResult(string Package, bool Valid, IReadOnlyList<string> Checks, IReadOnlyList<string> Problems);

    private static AssignmentPackage Load(string dir)
    {
        var loaded = AssignmentPackage.Load(dir);
        return loaded.Package ?? throw new CliException(string.Join(Environment.NewLine,
            loaded.Problems.Select(p => $"{Path.Combine(dir, p.File)}: {(p.Field.Length > 0 ? p.Field + ": " : "")}{p.Reason}")));
    }

    internal static async Task<string> ReadSourceAsync(FileInfo file, CancellationToken cancellationToken) =>
        file.Exists ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : throw new CliException($"{file.FullName}: no such file");

    private static GradingEngine Start(IsolationPreference isolation) =>
        GradingEngine.Start(new GradingEngineOptions { RunnerPoolSize = 1, Isolation = isolation }, new StderrWarnings());

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
                    Console.Error.WriteLine($"grader: {logLevel.ToString().ToLowerInvariant()}: {TerminalText.Sanitize(formatter(state, exception))}");
                }
            }
        }
    }
}
