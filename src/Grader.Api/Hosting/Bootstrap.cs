using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Users;
using Grader.Core.Assignments;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Grader.Api.Hosting;

public static class BootstrapExtensions
{
    internal static IHostApplicationBuilder AddBootstrap(this IHostApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptions<GraderOptions>("Grader");
        if (options.IsApi && (options.LoadAssignmentsOnStart || options.BootstrapInstructor || options.BootstrapDemoStudent))
        {
            builder.Services.AddHostedService<Bootstrap>();
        }
        return builder;
    }
}

// Development start-up: loads every package under assignments/ (idempotent by content hash) to be
// published once it passes validation on a worker (a version that passed before is published at
// once, never validated again; one that failed stays unpublished and the log says why), and creates a first instructor when there is none. Its key is
// printed once and kept in the data folder (mode 0600), because the database keeps only its hash.
internal sealed partial class Bootstrap(
    Microsoft.Extensions.Options.IOptions<GraderOptions> options,
    IHostEnvironment environment,
    AssignmentStore assignments,
    ValidationQueue validations,
    UserStore users,
    SignInLinkStore signInLinks,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<Bootstrap> logger) : IHostedService
{
    public const string DemoStudent = "student-demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.LoadAssignmentsOnStart)
        {
            LoadAssignments(o.ResolveAssignmentsDirectory(environment.ContentRootPath), cancellationToken);
        }
        string? keyFile = null;
        if (o.BootstrapInstructor)
        {
            keyFile = await CreateInstructorAsync(o.ResolveDataDirectory(environment.ContentRootPath), cancellationToken).ConfigureAwait(false);
        }
        string? demoToken = null;
        if (o.BootstrapDemoStudent)
        {
            demoToken = await CreateDemoStudentLinkAsync(cancellationToken).ConfigureAwait(false);
        }
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                Console.WriteLine($"Grader is listening on {address} (student pages: {address}/assignments, OpenAPI document: {address}/openapi/v1.json, queue for instructors signed in: {address}/hangfire, metrics: {address}/metrics)");
            }
            if (keyFile is not null)
            {
                Console.WriteLine($"The bootstrap instructor's API key is in {keyFile}");
            }
            if (demoToken is not null)
            {
                var baseUrl = o.PublicBaseUrl ?? BrowsableAddress(addresses.FirstOrDefault() ?? "http://localhost:5080");
                // Console only, never the structured log: the link is a credential until it is used.
                Console.WriteLine($"Sign in as the demo student (one-time link, a new one at every start): {SignInEndpoints.LinkUrl(baseUrl, demoToken)}");
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LoadAssignments(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            LogNoAssignments(directory);
            return;
        }
        foreach (var dir in Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, "assignment.json"))).Order(StringComparer.Ordinal))
        {
            try
            {
                var loaded = AssignmentPackage.Load(dir);
                if (loaded.Package is not { } package || loaded.Problems.Count > 0)
                {
                    LogInvalidPackage(dir, string.Join("; ", loaded.Problems));
                    continue;
                }
                var saved = PackageEndpoints.SaveAndQueueAsync(package, publish: true, assignments, validations, logger, cancellationToken).GetAwaiter().GetResult();
                switch (saved.Validation)
                {
                    case ValidationState.Passed:
                        LogLoaded(package.Id, saved.Version, saved.Created);
                        break;
                    case ValidationState.Failed:
                        var report = assignments.GetValidationAsync(package.Id, saved.Version, cancellationToken).GetAwaiter().GetResult();
                        LogFailedValidation(package.Id, saved.Version, string.Join("; ", report?.Problems ?? []));
                        break;
                    default:
                        LogValidating(package.Id, saved.Version, saved.Created);
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken package must not keep the service (and the other assignments) from starting.
                LogLoadFailed(e, dir);
            }
        }
    }

    private async Task<string> CreateInstructorAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var keyFile = Path.Combine(dataDirectory, "bootstrap-instructor.key");
        if (await users.AnyInstructorAsync(cancellationToken).ConfigureAwait(false))
        {
            return keyFile;
        }
        var user = await users.CreateAsync("instructor", "Bootstrap instructor", Roles.Instructor, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A user 'instructor' exists but is not an instructor.");
        var (_, key) = await users.CreateKeyAsync(user.Id, "bootstrap", cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(keyFile, key + "\n", cancellationToken).ConfigureAwait(false);
        PrivateFiles.Restrict(keyFile);
        // Printed to the console only, never to the structured log.
        Console.WriteLine($"Created the bootstrap instructor. API key (shown once, also saved to {keyFile}):");
        Console.WriteLine($"  {key}");
        return keyFile;
    }

    private async Task<string> CreateDemoStudentLinkAsync(CancellationToken cancellationToken)
    {
        var student = await users.FindByExternalIdAsync(DemoStudent, cancellationToken).ConfigureAwait(false)
            ?? await users.CreateAsync(DemoStudent, "Demo student", Roles.Student, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The user '{DemoStudent}' could not be created.");
        var (_, token) = await signInLinks.CreateAsync(student.Id, cancellationToken).ConfigureAwait(false);
        return token;
    }

    // Kestrel reports "http://[::]:5080" for a wildcard binding; a browser needs a host it can open.
    private static string BrowsableAddress(string address) =>
        address.Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Warning, "No assignments folder at {Directory}; none loaded")]
    private partial void LogNoAssignments(string directory);

    [LoggerMessage(LogLevel.Warning, "Package {Directory} is invalid and was not loaded: {Problems}")]
    private partial void LogInvalidPackage(string directory, string problems);

    [LoggerMessage(LogLevel.Error, "Package {Directory} could not be loaded")]
    private partial void LogLoadFailed(Exception e, string directory);

    [LoggerMessage(LogLevel.Information, "Assignment {Assignment} version {AssignmentVersion} passed validation before and is published (new: {Created})")]
    private partial void LogLoaded(string assignment, int assignmentVersion, bool created);

    [LoggerMessage(LogLevel.Information, "Assignment {Assignment} version {AssignmentVersion} is published once it passes validation (new: {Created})")]
    private partial void LogValidating(string assignment, int assignmentVersion, bool created);

    [LoggerMessage(LogLevel.Warning, "Assignment {Assignment} version {AssignmentVersion} failed validation and is not published: {Problems}")]
    private partial void LogFailedValidation(string assignment, int assignmentVersion, string problems);
}
