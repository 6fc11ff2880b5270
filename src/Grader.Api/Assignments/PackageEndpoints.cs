using Grader.Api.Hosting;
using Grader.Core.Assignments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Assignments;

// Published: this version is what students see now. Validation: Pending until a worker has run it;
// with PublishWhenValid (?publish=true) it is published as soon as it passes.
public sealed record UploadedView(string AssignmentId, int Version, bool Created, string ContentHash, bool Published, string Validation, bool PublishWhenValid, string Location);

public sealed record PackageProblemView(string File, string Field, string Reason, string Text);

// Instructors: upload a package (a new version each time its content changes), which queues its
// validation; publish (only a validated version), unpublish; each version's validation report.
public static partial class PackageEndpoints
{
    public static void MapPackages(RouteGroupBuilder group)
    {
        group.MapGet("/", List);
        group.MapPost("/", Upload)
            .WithMetadata(new RequestSizeLimitAttribute(AssignmentPackage.MaxPackageBytes))
            .WithDescription("Body: the package as application/zip, or multipart/form-data with one .zip file or the package's files. " +
                "Queues its validation in the sandbox; ?publish=true publishes it as soon as it passes (GET its Location to follow it).");
        group.MapGet("/{assignmentId}/versions", ListVersions);
        group.MapGet("/{assignmentId}/versions/{version:int}", GetVersion);
        group.MapPost("/{assignmentId}/publish", Publish)
            .WithDescription("Publishes the current version, or ?version=n (which becomes current). Only a version that passed validation: otherwise 409 with the problems.");
        group.MapPost("/{assignmentId}/unpublish", Unpublish);
    }

    public static async Task<Ok<InstructorAssignmentView[]>> List(AssignmentStore assignments, CancellationToken cancellationToken) =>
        TypedResults.Ok((await assignments.ListAsync(publishedOnly: false, cancellationToken)).Select(a => a.ToInstructorView()).ToArray());

    public static async Task<Results<Created<UploadedView>, Ok<UploadedView>, ProblemHttpResult>> Upload(
        HttpRequest request, bool? publish, AssignmentStore assignments, ValidationQueue queue, ILogger<ValidationQueue> logger, CancellationToken cancellationToken)
    {
        Dictionary<string, byte[]> files;
        try
        {
            files = await ReadPackageFilesAsync(request, cancellationToken);
        }
        catch (PackageFiles.InvalidZipException e)
        {
            return TypedResults.Problem(title: "Invalid package upload", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (UploadProblem e)
        {
            return TypedResults.Problem(title: e.Title, detail: e.Message, statusCode: e.Status);
        }

        var loaded = AssignmentPackage.LoadFromFiles(files);
        if (loaded.Package is not { } package || loaded.Problems.Count > 0)
        {
            return TypedResults.Problem(
                title: "Invalid assignment package",
                detail: $"The package has {loaded.Problems.Count} problem(s); fix each and upload again.",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?>
                {
                    ["problems"] = loaded.Problems.Select(p => new PackageProblemView(p.File, p.Field, p.Reason, p.ToString())).ToArray(),
                });
        }
        var saved = await SaveAndQueueAsync(package, publish ?? false, assignments, queue, logger, cancellationToken);
        var location = VersionPath(package.Id, saved.Version);
        var view = new UploadedView(package.Id, saved.Version, saved.Created, package.ContentHash, saved.Published,
            saved.Validation.ToString(), publish ?? false, location);
        return saved.Created ? TypedResults.Created(location, view) : TypedResults.Ok(view);
    }

    // Stores the version and queues its validation when no job holds it yet. A failed enqueue is
    // logged, not an error: the version is stored, and the next start or the same upload queues it.
    public static async Task<SavedVersion> SaveAndQueueAsync(
        AssignmentPackage package, bool publish, AssignmentStore assignments, ValidationQueue queue, ILogger logger, CancellationToken cancellationToken)
    {
        var saved = await assignments.SaveVersionAsync(package.ToVersion(), publish, cancellationToken);
        if (saved.NeedsValidation)
        {
            try
            {
                await queue.EnqueueAsync(package.Id, saved.Version, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEnqueueFailed(logger, e, package.Id, saved.Version);
            }
        }
        return saved;
    }

    public static string VersionPath(string assignmentId, int version) => $"/api/instructor/assignments/{Uri.EscapeDataString(assignmentId)}/versions/{version}";

    // The versions are read before the assignment: a validation that passed and published its
    // version commits both at once, so a Passed version is never shown as not yet published.
    public static async Task<Results<Ok<VersionView[]>, ProblemHttpResult>> ListVersions(string assignmentId, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        var versions = await assignments.ListVersionsAsync(assignmentId, cancellationToken);
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { } row)
        {
            return UnknownAssignment(assignmentId);
        }
        return TypedResults.Ok(versions.Select(v => v.ToView(row.CurrentVersion, row.Published)).ToArray());
    }

    public static async Task<Results<Ok<VersionView>, ProblemHttpResult>> GetVersion(string assignmentId, int version, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        var validation = await assignments.GetValidationAsync(assignmentId, version, cancellationToken);
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { } row)
        {
            return UnknownAssignment(assignmentId);
        }
        return validation is { } v ? TypedResults.Ok(v.ToView(row.CurrentVersion, row.Published)) : UnknownVersion(assignmentId, version);
    }

    public static async Task<Results<Ok<InstructorAssignmentView>, ProblemHttpResult>> Publish(
        string assignmentId, int? version, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        var outcome = await assignments.PublishAsync(assignmentId, version, cancellationToken);
        return outcome.Result switch
        {
            PublishResult.Published => TypedResults.Ok((await assignments.GetAsync(assignmentId, cancellationToken))!.ToInstructorView()),
            PublishResult.UnknownVersion => UnknownVersion(assignmentId, version ?? 0),
            PublishResult.NotValidated => NotPublishable(outcome.Validation!),
            _ => UnknownAssignment(assignmentId),
        };
    }

    public static async Task<Results<Ok<InstructorAssignmentView>, ProblemHttpResult>> Unpublish(string assignmentId, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        if (!await assignments.UnpublishAsync(assignmentId, cancellationToken))
        {
            return UnknownAssignment(assignmentId);
        }
        return TypedResults.Ok((await assignments.GetAsync(assignmentId, cancellationToken))!.ToInstructorView());
    }

    public static ProblemHttpResult NotPublishable(VersionValidation v) =>
        TypedResults.Problem(
            title: v.State == ValidationState.Failed ? "Version failed validation" : "Version not validated yet",
            detail: v.State == ValidationState.Failed
                ? $"Version {v.Version} of '{v.AssignmentId}' failed validation and cannot be published: fix the package and upload it again ({v.Problems.Count} problem(s) listed)."
                : $"Version {v.Version} of '{v.AssignmentId}' is {v.State}: it can be published once its validation has passed. GET {VersionPath(v.AssignmentId, v.Version)} to follow it.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>
            {
                ["version"] = v.Version,
                ["validation"] = v.State.ToString(),
                ["problems"] = v.Problems,
            });

    private static ProblemHttpResult UnknownVersion(string id, int version) =>
        TypedResults.Problem(title: "Unknown version", detail: $"'{id}' has no version {version}. GET /api/instructor/assignments/{id}/versions lists them.", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(LogLevel.Warning, "Could not queue the validation of {Assignment} v{AssignmentVersion}; the next start or the same upload queues it")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception e, string assignment, int assignmentVersion);

    private sealed class UploadProblem(int status, string title, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Title { get; } = title;
    }

    private static async Task<Dictionary<string, byte[]>> ReadPackageFilesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > AssignmentPackage.MaxPackageBytes)
        {
            throw new UploadProblem(413, "Package too large", $"A package upload may be at most {AssignmentPackage.MaxPackageBytes >> 20} MiB.");
        }
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("application/zip", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/x-zip", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return PackageFiles.FromZip(await ReadAllAsync(request.Body, cancellationToken));
        }
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception e) when (ErrorHandling.IsUnreadableForm(e))
            {
                throw new UploadProblem(400, "Malformed form", $"The multipart body could not be read ({e.Message}).");
            }
            // A file input left empty still sends a part, with no file name: nothing was chosen there.
            var chosen = form.Files.Where(f => f.FileName.Length > 0).ToList();
            if (chosen.Count == 0)
            {
                throw new UploadProblem(400, "No files", "Upload the package as one zip file, or its files (assignment.json, README.md, …) each as a form file.");
            }
            if (chosen.Count == 1 && chosen[0].FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                await using var zip = chosen[0].OpenReadStream();
                return PackageFiles.FromZip(await ReadAllAsync(zip, cancellationToken));
            }
            if (chosen.Count > PackageFiles.MaxEntries)
            {
                throw new UploadProblem(400, "Too many files", $"The upload holds {chosen.Count} files; a package may hold at most {PackageFiles.MaxEntries}.");
            }
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var file in chosen)
            {
                var path = file.FileName.Replace('\\', '/').TrimStart('/');
                if (PackageFiles.PathProblem(path) is { } problem)
                {
                    throw new UploadProblem(400, "Bad file name", $"The form file '{file.FileName}' {problem}");
                }
                await using var stream = file.OpenReadStream();
                files[path] = await ReadAllAsync(stream, cancellationToken);
                total += files[path].Length;
                if (total > AssignmentPackage.MaxPackageBytes)
                {
                    throw new UploadProblem(413, "Package too large", $"A package upload may be at most {AssignmentPackage.MaxPackageBytes >> 20} MiB.");
                }
            }
            // A folder chosen in a browser sends each file under the folder's name.
            return PackageFiles.WithoutTopFolder(files);
        }
        throw new UploadProblem(415, "Unsupported content type",
            $"'{(contentType.Length == 0 ? "no Content-Type" : contentType)}' is not accepted. Upload the package as application/zip, or as multipart/form-data.");
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > AssignmentPackage.MaxPackageBytes)
            {
                throw new UploadProblem(413, "Package too large", $"A package upload may be at most {AssignmentPackage.MaxPackageBytes >> 20} MiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    internal static ProblemHttpResult UnknownAssignment(string id) =>
        TypedResults.Problem(title: "Unknown assignment", detail: $"There is no assignment '{id}' with an uploaded package.", statusCode: StatusCodes.Status404NotFound);
}
