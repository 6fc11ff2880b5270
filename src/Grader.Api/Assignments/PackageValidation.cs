using System.Text.Json;
using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace Grader.Api.Assignments;

// Pending → Running → Passed | Failed; only a Passed version may be published.
public enum ValidationState
{
    Pending,
    Running,
    Passed,
    Failed,
}

public sealed record MistakeCheckView(string File, double DeclaredScore, double Score, IReadOnlyList<string> DeclaredMessages, IReadOnlyList<string> MissingMessages, bool Passed, string? Problem);

// What a validation found, as stored (JSONB) and shown to instructors. Expected values stay out:
// they are stored with the version for grading, and a report lists problems, not answers.
public sealed record ValidationReportView(
    bool Passed,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Checks,
    double? ReferenceScore,
    double MaxScore,
    double? StarterScore,
    IReadOnlyList<MistakeCheckView> Mistakes)
{
    public static ValidationReportView From(ValidationReport report) => new(
        report.Passed, report.Problems, report.Checks, report.ReferenceScore, report.MaxScore, report.StarterScore,
        report.Mistakes.Select(m => new MistakeCheckView(m.File, m.DeclaredScore, m.Score, m.DeclaredMessages, m.MissingMessages, m.Passed, m.Problem)).ToList());

    public static ValidationReportView Unfinished(string why) => new(false, [why], [], null, 0, null, []);
}

public sealed record VersionValidation(
    string AssignmentId, int Version, string ContentHash, ValidationState State, ValidationReportView? Report,
    DateTimeOffset? ValidatedAt, DateTimeOffset UploadedAt, bool PublishWhenValid)
{
    // What stands between this version and publishing, in words an instructor can act on.
    public IReadOnlyList<string> Problems => State switch
    {
        ValidationState.Passed => [],
        ValidationState.Failed => Report?.Problems is { Count: > 0 } p ? p : ["Validation failed."],
        _ => [$"Version {Version} has not been validated yet (it is {State}); it can be published once validation has passed."],
    };

    public VersionView ToView(int? currentVersion, bool published) => new(
        Version, ContentHash, State.ToString(), UploadedAt, ValidatedAt, PublishWhenValid,
        Current: currentVersion == Version, Published: published && currentVersion == Version, Report);
}

public sealed record VersionView(
    int Version, string ContentHash, string Validation, DateTimeOffset UploadedAt, DateTimeOffset? ValidatedAt, bool PublishWhenValid,
    bool Current, bool Published, ValidationReportView? Report);

public enum PublishResult
{
    Published,
    UnknownAssignment,
    UnknownVersion,
    NotValidated,
}

public sealed record PublishOutcome(PublishResult Result, VersionValidation? Validation);

public sealed record FinishedValidation(bool PublishWhenValid, bool WentLive);

// Puts validations on the Hangfire queue, one job per version carrying only its key; any node
// may enqueue, workers run them. The job id is recorded after Hangfire created it: a crash in
// between leaves a Pending version without a job, which the next start (ValidationRecovery) or
// an upload of the same content queues again.
public sealed partial class ValidationQueue(IBackgroundJobClient jobs, AssignmentStore assignments, ILogger<ValidationQueue> logger)
{
    public const string QueueName = "validate";

    public async Task EnqueueAsync(string assignmentId, int version, CancellationToken cancellationToken)
    {
        var jobId = jobs.Create(
            Job.FromExpression<ValidatePackageJob>(j => j.RunAsync(assignmentId, version, null, CancellationToken.None)),
            new EnqueuedState(QueueName));
        await assignments.RecordValidationJobAsync(assignmentId, version, jobId, cancellationToken).ConfigureAwait(false);
        LogQueued(assignmentId, version, jobId);
    }

    [LoggerMessage(LogLevel.Information, "Validation of {Assignment} v{AssignmentVersion} queued as job {JobId}")]
    private partial void LogQueued(string assignment, int assignmentVersion, string jobId);
}

// Validates one version from the beginning: what `grader validate` does, in the sandbox. At least
// once: a recovered or retried job starts again, and a version that already has its outcome is
// left alone (the state moves Pending/Running → Running → Passed | Failed, each step checking it).
public sealed partial class PackageValidator(
    AssignmentStore assignments,
    GradingEngineHost engineHost,
    IOptions<GradingOptions> options,
    ILogger<PackageValidator> logger)
{
    public async Task ValidateAsync(string assignmentId, int version, string jobId, CancellationToken cancellationToken)
    {
        if (await assignments.TryStartValidationAsync(assignmentId, version, jobId, cancellationToken).ConfigureAwait(false) is not { } attempt)
        {
            LogAlreadyValidated(assignmentId, version);
            return;
        }
        ValidationReport report;
        try
        {
            var stored = await assignments.GetVersionAsync(assignmentId, version, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Assignment {assignmentId} has no version {version}.");
            var loaded = AssignmentPackage.LoadFromFiles(PackageFiles.FromZip(stored.PackageZip));
            if (loaded.Package is not { } package || loaded.Problems.Count > 0)
            {
                // Checked at upload; a stored package that no longer loads is a failure of the package.
                await FinishAsync(assignmentId, version, ValidationReportView.Unfinished(
                    $"The stored package no longer loads: {string.Join("; ", loaded.Problems)}"), null, cancellationToken).ConfigureAwait(false);
                return;
            }
            var engine = await engineHost.GetAsync(cancellationToken).ConfigureAwait(false);
            report = await engine.ValidateAsync(package, cancellationToken).ConfigureAwait(false);
            // A compile cut off by its time limit says more about the machine (a cold compiler, a
            // busy node) than about the package: never a Failed on that alone.
            if (report is { Passed: false, CompileCutOff: true })
            {
                throw new GradingInfrastructureException($"A compile was cut off by the time limit: {string.Join("; ", report.Problems)}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The grader failed, not the package (a compile error or a wrong answer is a report).
            if (attempt < options.Value.MaxAttempts)
            {
                LogRetry(e, assignmentId, version, attempt);
                throw new GradingInfrastructureException($"Validating {assignmentId} v{version} failed on attempt {attempt}; it will be retried.", e);
            }
            LogGaveUp(e, assignmentId, version, attempt);
            await assignments.GiveBackValidationAsync(assignmentId, version, JsonSerializer.Serialize(ValidationReportView.Unfinished(
                $"The grader could not validate this version after {attempt} attempts ({e.Message}). Upload it again to retry."), Json.Options),
                CancellationToken.None).ConfigureAwait(false);
            return;
        }
        var expected = report.Passed && report.Expected is { } outputs ? JsonSerializer.Serialize(outputs, Json.Options) : null;
        await FinishAsync(assignmentId, version, ValidationReportView.From(report), expected, cancellationToken).ConfigureAwait(false);
    }

    private async Task FinishAsync(string assignmentId, int version, ValidationReportView report, string? expectedJson, CancellationToken cancellationToken)
    {
        var finished = await assignments.FinishValidationAsync(assignmentId, version, report.Passed,
            JsonSerializer.Serialize(report, Json.Options), expectedJson, cancellationToken).ConfigureAwait(false);
        if (finished is null)
        {
            LogAlreadyValidated(assignmentId, version);
        }
        else if (report.Passed)
        {
            LogPassed(assignmentId, version, finished.WentLive);
        }
        else
        {
            LogFailed(assignmentId, version, finished.PublishWhenValid ? "it was not published" : "it cannot be published", string.Join("; ", report.Problems));
        }
    }

    [LoggerMessage(LogLevel.Information, "Validation of {Assignment} v{AssignmentVersion} already finished; nothing to do")]
    private partial void LogAlreadyValidated(string assignment, int assignmentVersion);

    [LoggerMessage(LogLevel.Information, "Assignment {Assignment} v{AssignmentVersion} passed validation (now current and published: {WentLive})")]
    private partial void LogPassed(string assignment, int assignmentVersion, bool wentLive);

    [LoggerMessage(LogLevel.Warning, "Assignment {Assignment} v{AssignmentVersion} failed validation and {Consequence}: {Problems}")]
    private partial void LogFailed(string assignment, int assignmentVersion, string consequence, string problems);

    [LoggerMessage(LogLevel.Warning, "Validating {Assignment} v{AssignmentVersion} failed on attempt {Attempt}; retrying")]
    private partial void LogRetry(Exception e, string assignment, int assignmentVersion, int attempt);

    [LoggerMessage(LogLevel.Error, "Gave up validating {Assignment} v{AssignmentVersion} after {Attempt} attempts; it stays Pending")]
    private partial void LogGaveUp(Exception e, string assignment, int assignmentVersion, int attempt);
}

// The Hangfire job: retries only for the grader's own failures (PackageValidator throws for those).
public sealed class ValidatePackageJob(PackageValidator validator)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 5, 15, 30, 60], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [Queue(ValidationQueue.QueueName)]
    public Task RunAsync(string assignmentId, int version, PerformContext? context, CancellationToken cancellationToken) =>
        validator.ValidateAsync(assignmentId, version,
            context?.BackgroundJob.Id ?? throw new InvalidOperationException("Hangfire runs this job with its context."), cancellationToken);
}

// On API nodes at start: queues the validation of every Pending version no job holds.
internal sealed partial class ValidationRecovery(AssignmentStore assignments, ValidationQueue queue, ILogger<ValidationRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (id, version) in await assignments.ListUnqueuedValidationsAsync(cancellationToken).ConfigureAwait(false))
            {
                await queue.EnqueueAsync(id, version, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecoveryFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Could not queue the validation of unvalidated versions; an upload of the same content queues it again")]
    private partial void LogRecoveryFailed(Exception e);
}
