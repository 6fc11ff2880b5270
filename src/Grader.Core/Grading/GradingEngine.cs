using System.Globalization;
using System.Text.Json.Nodes;
using Grader.Core.Assignments;
using Grader.Core.Grading.Comparators;
using Grader.Core.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grader.Core.Grading;

/// <summary>Compiles, runs in the sandbox, compares and scores. Never runs student code in this process.</summary>
public sealed class GradingEngine : IAsyncDisposable
{
    private readonly CompilerPool _compiler;
    private readonly RunnerPool _runners;
    private readonly ILogger _logger;
    // Compiled helpers.csx by package content hash: compiled once, loaded into every runner.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _helpers = new(StringComparer.Ordinal);

    private GradingEngine(CompilerPool compiler, RunnerPool runners, ILogger logger)
    {
        _compiler = compiler;
        _runners = runners;
        _logger = logger;
    }

    public static GradingEngine Start(GradingEngineOptions options, ILoggerFactory? loggerFactory = null)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GradingEngine>();
        var launcher = RunnerLauncher.Create(options.RunnerDirectory, options.Isolation, logger);
        var runners = new RunnerPool(launcher, options.RunnerPoolSize, logger);
        runners.Warm(new AssignmentLimits().MemoryMb);
        var compiler = new CompilerPool(options.CompilerDirectory, options.CompilerProcesses, TimeSpan.FromMilliseconds(options.CompileTimeoutMs), logger);
        return new GradingEngine(compiler, runners, logger);
    }

    /// <summary>How runners are isolated on this machine (bubblewrap, or the fallback and why).</summary>
    public string IsolationMode => _runners.Launcher.Isolation;

    public bool UsesBubblewrap => _runners.Launcher.UsesBubblewrap;

    /// <summary>The runner pool (for health checks, metrics and benchmarks).</summary>
    public RunnerPool Runners => _runners;

    /// <summary>Runners busy right now (for metrics and health).</summary>
    public int RunnersInUse => _runners.InUse;

    /// <summary>Compiles answered from the compile cache so far (for metrics and tests).</summary>
    public long CompileCacheHits => _compiler.CacheHits;

    /// <summary>Compiles once so the first submission finds the compiler warm.</summary>
    public Task WarmAsync(CancellationToken cancellationToken) => _compiler.WarmAsync(cancellationToken);

    public Task<CompileResult> CompileAsync(string source, CancellationToken cancellationToken) => _compiler.CompileAsync(source, cancellationToken);

    /// <summary>Compiles found already started ahead of their grade (for metrics and tests).</summary>
    public long CompilesJoinedAhead => _compiler.AheadJoined;

    /// <summary>
    /// Starts compiling a submission that this node is about to grade, while it makes its way
    /// through the queue; the grade then finds its compile done. Only when a runner is free (so the
    /// grade starts soon, and the result is still cached then) and a compile process is idle.
    /// </summary>
    public bool CompileAhead(string source) => _runners.InUse < _runners.Size && _compiler.CompileAhead(source);

    public async Task<ExpectedOutputs> ComputeExpectedAsync(AssignmentPackage package, CancellationToken cancellationToken)
    {
        var compiled = await _compiler.CompileAsync(package.Reference, cancellationToken).ConfigureAwait(false);
        if (compiled.Status != CompileStatus.Ok)
        {
            throw new ReferenceSolutionException($"reference.csx does not compile: {string.Join("; ", compiled.Diagnostics.Take(5))}");
        }
        var helpers = await HelpersAsync(package, cancellationToken).ConfigureAwait(false);
        var limits = package.Manifest.Limits;
        // The expected outputs are computed once and every grade of the package depends on them, so
        // a load spike on this node must not fail them: the reference gets ReferenceHeadroom times
        // each limit here. Validation still grades the reference as a submission, within the real
        // limits, so an author learns when the reference itself is too slow.
        await using var run = new SandboxRun(_runners, compiled.Assembly!, helpers, limits.MemoryMb, limits.OutputKb * 1024,
            TimeSpan.FromMilliseconds(limits.CaseWallMs * (long)ReferenceHeadroom), TimeSpan.FromMilliseconds(limits.SubmissionWallMs * (long)ReferenceHeadroom));
        var byCase = new Dictionary<string, CallOutcome>(StringComparer.Ordinal);
        foreach (var spec in package.Manifest.Cases)
        {
            var args = package.ResolvedArgs[spec.Name];
            var comparator = ComparatorFor(spec);
            var result = await run.CallAsync(new SandboxCall(spec.Function, args, false, WallLimit(spec) * ReferenceHeadroom), cancellationToken).ConfigureAwait(false);
            if (result.LimitHit is { } hit)
            {
                throw new ReferenceSolutionException($"case {spec.Name}: the reference solution hit a limit ({hit}: {result.Detail})");
            }
            var outcome = result.Outcome;
            if (outcome.Fault is { } fault && !comparator.ExpectsFault)
            {
                throw new ReferenceSolutionException($"case {spec.Name}: the reference solution threw {fault.Type}: {fault.Message}");
            }
            if (comparator is GradientComparator)
            {
                outcome = outcome with { Value = await FiniteDifferenceAsync(run, spec, args, cancellationToken).ConfigureAwait(false) };
            }
            if (spec.Expected is not null)
            {
                outcome = outcome with { Value = spec.Expected.DeepClone() };
            }
            byCase[spec.Name] = outcome;
        }
        return new ExpectedOutputs { PackageHash = package.ContentHash, ByCase = byCase };
    }

    private const int ReferenceHeadroom = 4;

    private static TimeSpan? WallLimit(CaseSpec spec) => spec.WallMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private async Task<byte[]?> HelpersAsync(AssignmentPackage package, CancellationToken cancellationToken)
    {
        if (package.Helpers is not { } source)
        {
            return null;
        }
        if (_helpers.TryGetValue(package.ContentHash, out var cached))
        {
            return cached;
        }
        var compiled = await _compiler.CompileAsync(source, cancellationToken).ConfigureAwait(false);
        if (compiled.Status != CompileStatus.Ok)
        {
            throw new ReferenceSolutionException($"helpers.csx does not compile: {string.Join("; ", compiled.Diagnostics.Take(5))}");
        }
        return _helpers[package.ContentHash] = compiled.Assembly!;
    }

    /// <summary>Central differences of the reference's scalar function, in the shape of the point argument.</summary>
    private static async Task<JsonNode?> FiniteDifferenceAsync(SandboxRun run, CaseSpec spec, JsonArray args, CancellationToken cancellationToken)
    {
        // Checked when the package was loaded, so the settings are there.
        var settings = GradientComparator.ReadSettings(ParametersOf(spec), out _)!;
        var (function, argIndex, h) = (settings.Function, settings.Arg, settings.Step);
        var point = args[argIndex];
        var holder = new JsonArray(point?.DeepClone());
        foreach (var path in NumericLeaves(point, []))
        {
            async Task<double> At(double delta)
            {
                var shifted = (JsonArray)args.DeepClone();
                var leaf = Locate(shifted, [argIndex, .. path]);
                PlainValues.TryGetNumber(leaf.Node, out var x);
                leaf.Set(JsonValue.Create(x + delta));
                var r = await run.CallAsync(new SandboxCall(function, shifted, false), cancellationToken).ConfigureAwait(false);
                if (r.LimitHit is not null || r.Outcome.Fault is not null || !PlainValues.TryGetNumber(r.Outcome.Value, out var y))
                {
                    throw new ReferenceSolutionException($"case {spec.Name}: the reference's {function} did not return a number at a shifted point");
                }
                return y;
            }
            double slope = (await At(h).ConfigureAwait(false) - await At(-h).ConfigureAwait(false)) / (2 * h);
            Locate(holder, [0, .. path]).Set(PlainValues.FromNumber(slope));
        }
        var gradient = holder[0];
        holder.RemoveAt(0);
        return gradient;
    }

    private static IEnumerable<int[]> NumericLeaves(JsonNode? node, int[] path)
    {
        if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                foreach (var leaf in NumericLeaves(array[i], [.. path, i]))
                {
                    yield return leaf;
                }
            }
        }
        else if (PlainValues.TryGetNumber(node, out _))
        {
            yield return path;
        }
    }

    private static (JsonNode? Node, Action<JsonNode> Set) Locate(JsonArray root, int[] path)
    {
        JsonArray parent = root;
        for (int i = 0; i < path.Length - 1; i++)
        {
            parent = (JsonArray)parent[path[i]]!;
        }
        var owner = parent;
        int last = path[^1];
        return (owner[last], value => owner[last] = value);
    }

    public async Task<GradeReport> GradeAsync(AssignmentPackage package, ExpectedOutputs expected, string source, GradeOptions options, CancellationToken cancellationToken)
    {
        if (expected.PackageHash != package.ContentHash)
        {
            throw new ArgumentException("the expected outputs belong to another version of the package", nameof(expected));
        }
        var manifest = package.Manifest;
        double maxScore = manifest.Exercises.Sum(e => e.Points);
        var compiled = await _compiler.CompileAsync(source, cancellationToken).ConfigureAwait(false);
        if (compiled.Status != CompileStatus.Ok)
        {
            var first = compiled.Diagnostics.FirstOrDefault();
            var verb = compiled.Status == CompileStatus.CompileError ? "Does not compile" : "Refused";
            return new GradeReport
            {
                AssignmentId = package.Id,
                Status = compiled.Status == CompileStatus.CompileError ? GradeStatus.CompileError : GradeStatus.Rejected,
                Score = 0,
                MaxScore = maxScore,
                Summary = first is null ? verb : $"{verb}: {first}",
                Diagnostics = compiled.Diagnostics,
                Isolation = IsolationMode,
                CompileMs = compiled.ElapsedMs,
            };
        }
        var helpers = await HelpersAsync(package, cancellationToken).ConfigureAwait(false);
        var limits = manifest.Limits;
        var cases = new List<CaseReport>();
        string? topLevelFailure = null;
        await using (var run = new SandboxRun(_runners, compiled.Assembly!, helpers, limits.MemoryMb, limits.OutputKb * 1024,
            TimeSpan.FromMilliseconds(limits.CaseWallMs), TimeSpan.FromMilliseconds(limits.SubmissionWallMs)))
        {
            // One runner serves all the calls, so student code can carry state from call to call.
            // Visible cases go first: a hidden case's inputs, kept in a static, must never come
            // out in a later visible case's output, value or exception message.
            bool IsHidden(CaseSpec spec) => spec.Visibility == CaseVisibility.Hidden || (spec.Visibility == CaseVisibility.AfterDue && !options.RevealAfterDueCases);
            // Each group is sent as one batch, the hidden one only once the visible one is answered.
            foreach (var group in manifest.Cases.GroupBy(IsHidden).OrderBy(g => g.Key))
            {
                var planned = group.Select(spec =>
                {
                    var comparator = ComparatorFor(spec);
                    var args = package.ResolvedArgs[spec.Name];
                    return (spec, comparator, args, call: new SandboxCall(spec.Function, args, comparator.NeedsArgsAfter, WallLimit(spec)));
                }).ToList();
                run.Plan(planned.Select(p => p.call));
                foreach (var (spec, comparator, args, call) in planned)
                {
                    var result = await run.CallAsync(call, cancellationToken).ConfigureAwait(false);
                    cases.Add(Judge(spec, comparator, args, expected.ByCase.GetValueOrDefault(spec.Name), result, group.Key));
                }
            }
            cases = [.. manifest.Cases.Select(spec => cases.Single(c => c.Name == spec.Name))];
            topLevelFailure = run.TopLevelFailure is { } failure ? TopLevelText(failure) : null;
        }
        var exercises = manifest.Exercises.Select(e =>
        {
            var own = cases.Where(c => c.Exercise == e.Id).ToList();
            double total = own.Sum(c => c.Weight);
            double passed = own.Where(c => c.Verdict == CaseVerdict.Passed).Sum(c => c.Weight);
            return new ExerciseReport
            {
                Id = e.Id,
                Title = e.Title,
                Score = total > 0 ? Math.Round(e.Points * passed / total, 2) : 0,
                MaxScore = e.Points,
                Cases = own,
            };
        }).ToList();
        double score = Math.Round(exercises.Sum(e => e.Score), 2);
        int passedCases = cases.Count(c => c.Verdict == CaseVerdict.Passed);
        return new GradeReport
        {
            AssignmentId = package.Id,
            Status = GradeStatus.Graded,
            Score = score,
            MaxScore = maxScore,
            Summary = string.Create(CultureInfo.InvariantCulture, $"Score {score:0.##} / {maxScore:0.##}: {passedCases} of {cases.Count} cases passed")
                + (topLevelFailure is null ? "" : "; " + topLevelFailure),
            Diagnostics = compiled.Diagnostics,
            Exercises = exercises,
            Isolation = IsolationMode,
            CompileMs = compiled.ElapsedMs,
            // Visible cases only: a hidden case's time, spun from its input, would leak that input.
            RunMs = cases.Where(c => !c.Hidden).Sum(c => c.ElapsedMs),
        };
    }

    private CaseReport Judge(CaseSpec spec, ICaseComparator comparator, JsonArray args, CallOutcome? expected, SandboxCallResult result, bool hidden)
    {
        var report = new CaseReport
        {
            Name = spec.Name,
            Exercise = spec.Exercise,
            Function = spec.Function,
            Verdict = CaseVerdict.Passed,
            Hidden = hidden,
            Weight = spec.Weight,
            // Student code could spin for a time derived from a hidden input: not shown.
            ElapsedMs = hidden ? 0 : result.ElapsedMs,
            // Student output of a hidden case could echo its inputs: never shown.
            Output = hidden || result.Output.Length == 0 ? null : result.Output,
            Input = hidden ? null : PlainValues.Abbreviate(args),
        };
        if (result.TopLevelFailed)
        {
            // Said once, in the summary: it is about the whole submission, not about this case.
            return report with
            {
                Verdict = result.LimitHit ?? CaseVerdict.RuntimeError,
                Message = "not run: the submission's top-level code failed before any function could be called (see the summary)",
                Output = null,
                ElapsedMs = 0,
            };
        }
        if (result.LimitHit is { } limit)
        {
            return report with { Verdict = limit, Message = result.Detail, ErrorType = result.ErrorType, Hint = spec.Hint };
        }
        var actual = result.Outcome;
        if (actual.Fault is { } fault && !comparator.ExpectsFault)
        {
            return report with
            {
                Verdict = CaseVerdict.RuntimeError,
                ErrorType = hidden ? FaultCategory.Of(fault) : fault.Type,
                HintCategory = HintCategory.UnexpectedException,
                Message = hidden ? HiddenFaultMessage(spec.Function, fault) : $"{spec.Function} threw {fault.Type}: {fault.Message}",
                Hint = spec.Hint,
            };
        }
        ComparisonResult comparison;
        try
        {
            comparison = comparator.Compare(new ComparisonInput
            {
                Args = args,
                Expected = expected?.Value,
                Reference = expected,
                Actual = actual,
                Parameters = ParametersOf(spec),
            });
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or IndexOutOfRangeException or NullReferenceException)
        {
            _logger.LogError(e, "Comparator {Kind} failed on case {Case}", comparator.Kind, spec.Name);
            comparison = ComparisonResult.Fail(HintCategory.ValuesDiffer, "the result could not be checked against the expected value");
        }
        bool expectsThrow = comparator.ExpectsFault;
        // For a case that expects an exception, "expected" and "got" are exception types, not values.
        string expectedText = expectsThrow ? $"throws {ParametersOf(spec)["type"]}" : PlainValues.Abbreviate(expected?.Value);
        string gotText = expectsThrow && actual.Fault is { } thrown ? $"threw {thrown.Type}" : PlainValues.Abbreviate(actual.Value);
        if (comparison.Passed)
        {
            return report with
            {
                Expected = hidden ? null : expectedText,
                Got = hidden ? null : gotText,
            };
        }
        return report with
        {
            Verdict = CaseVerdict.WrongAnswer,
            HintCategory = comparison.Hint,
            Message = hidden ? HiddenMessage(comparison.Hint, expectsThrow) : comparison.Message,
            Hint = spec.Hint,
            ErrorType = actual.Fault is { } wrong ? (hidden ? FaultCategory.Of(wrong) : wrong.Type) : null,
            Expected = hidden ? null : expectedText,
            Got = hidden ? null : gotText,
            MaxDifference = hidden ? null : comparison.MaxDifference,
            Where = hidden ? null : comparison.Where,
        };
    }

    private static string HiddenFaultMessage(string function, RunnerFault fault)
    {
        var category = FaultCategory.Of(fault);
        return RunnerFaultTypes.IsRunnerMade(category)
            ? $"{function} could not be checked: {FaultCategory.Describe(category)}"
            : $"{function} threw an exception: {FaultCategory.Describe(category)}";
    }

    // Top-level code runs before any case's input reaches the runner, so it is shown whole.
    private static string TopLevelText(SandboxCallResult failure) => failure.Outcome.Fault is { } fault
        ? $"the submission's top-level code threw {fault.Type}: {fault.Message}"
        : failure.Detail;

    private static string HiddenMessage(HintCategory hint, bool expectsThrow) => hint switch
    {
        HintCategory.UnexpectedException when expectsThrow => "the function threw a different exception than the one expected",
        HintCategory.WrongShape => "the result has the wrong shape",
        HintCategory.WrongType => "the result has the wrong type",
        HintCategory.InputMutated => "the function changed its input",
        HintCategory.UnexpectedException => "the function threw an exception it should not have",
        HintCategory.MissingException => "the function should have thrown an exception",
        HintCategory.PropertyViolated => "the result does not have a required property",
        HintCategory.OutsideStatisticalRange => "the result is outside the statistically expected range",
        _ => "the values differ from the expected ones",
    };

    // Comparator objects were validated when the package was loaded (CaseComparators.Validate).
    private static ICaseComparator ComparatorFor(CaseSpec spec) => CaseComparators.For(spec.Comparator)!;

    private static JsonObject ParametersOf(CaseSpec spec) => spec.Comparator ?? [];

    /// <summary>Reference scores full marks, starter compiles and scores 0, each mistake scores what it declares.</summary>
    public async Task<ValidationReport> ValidateAsync(AssignmentPackage package, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var checks = new List<string>();
        ExpectedOutputs expected;
        try
        {
            expected = await ComputeExpectedAsync(package, cancellationToken).ConfigureAwait(false);
        }
        catch (ReferenceSolutionException e)
        {
            return new ValidationReport
            {
                Passed = false,
                CompileCutOff = e.Message.Contains(CompileLimits.CutOffId, StringComparison.Ordinal),
                Problems = [e.Message],
                Checks = checks,
                MaxScore = package.Manifest.Exercises.Sum(x => x.Points),
                Mistakes = package.Mistakes.Select(m => new MistakeCheck(m.FileName, m.ExpectedScore, 0, m.ExpectedMessages, m.ExpectedMessages, false, "not graded: the reference solution failed")).ToList(),
            };
        }
        var options = new GradeOptions();
        var reference = await GradeAsync(package, expected, package.Reference, options, cancellationToken).ConfigureAwait(false);
        if (reference.Score != reference.MaxScore)
        {
            var failed = reference.Exercises.SelectMany(e => e.Cases).Where(c => c.Verdict != CaseVerdict.Passed);
            problems.Add($"reference.csx scores {reference.Score} of {reference.MaxScore}; failing: {string.Join("; ", failed.Select(c => $"{c.Name} ({c.Verdict}: {c.Message})"))}");
        }
        else
        {
            checks.Add($"reference.csx scores {reference.Score} / {reference.MaxScore}");
        }
        var starter = await GradeAsync(package, expected, package.Starter, options, cancellationToken).ConfigureAwait(false);
        if (starter.Status != GradeStatus.Graded)
        {
            problems.Add($"starter.csx must compile: {starter.Summary}");
        }
        else if (starter.Score != 0)
        {
            problems.Add($"starter.csx must score 0 but scores {starter.Score}");
        }
        else
        {
            checks.Add("starter.csx compiles and scores 0");
        }
        static bool CutOff(GradeReport r) => r.Diagnostics.Any(d => d.Id == CompileLimits.CutOffId);
        var cutOff = CutOff(reference) || CutOff(starter);
        var mistakes = new List<MistakeCheck>();
        foreach (var mistake in package.Mistakes)
        {
            var graded = await GradeAsync(package, expected, mistake.Source, options, cancellationToken).ConfigureAwait(false);
            cutOff |= CutOff(graded);
            var feedback = graded.Exercises.SelectMany(e => e.Cases).Where(c => c.Verdict != CaseVerdict.Passed)
                .SelectMany(c => new[] { c.Message, c.Hint ?? "", c.ErrorType ?? "" })
                .Append(graded.Summary)
                .ToList();
            var missing = mistake.ExpectedMessages.Where(m => !feedback.Any(f => f.Contains(m, StringComparison.OrdinalIgnoreCase))).ToList();
            string? problem = null;
            if (graded.Status != GradeStatus.Graded && mistake.ExpectedScore != 0)
            {
                problem = $"{mistake.FileName}: {graded.Summary}";
            }
            else if (Math.Abs(graded.Score - mistake.ExpectedScore) > 0.01)
            {
                problem = $"{mistake.FileName}: declares expect-score {mistake.ExpectedScore} but scores {graded.Score}";
            }
            else if (missing.Count > 0)
            {
                problem = $"{mistake.FileName}: feedback does not mention: {string.Join(" | ", missing)}";
            }
            if (problem is null)
            {
                checks.Add($"{mistake.FileName} scores {graded.Score} with the declared feedback");
            }
            else
            {
                problems.Add(problem);
            }
            mistakes.Add(new MistakeCheck(mistake.FileName, mistake.ExpectedScore, graded.Score, mistake.ExpectedMessages, missing, problem is null, problem));
        }
        return new ValidationReport
        {
            Passed = problems.Count == 0,
            Problems = problems,
            Checks = checks,
            ReferenceScore = reference.Score,
            MaxScore = reference.MaxScore,
            StarterScore = starter.Status == GradeStatus.Graded ? starter.Score : null,
            Mistakes = mistakes,
            Expected = expected,
            CompileCutOff = cutOff,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _runners.DisposeAsync().ConfigureAwait(false);
        await _compiler.DisposeAsync().ConfigureAwait(false);
    }
}
