using Grader.Core.Assignments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Assignments;

public sealed record UploadedView(string AssignmentId, int Version, bool Created, string ContentHash, bool Published);

// Instructors: upload a package (a new version each time its content changes), publish, unpublish.
public static class PackageEndpoints
{
    public static void MapPackages(RouteGroupBuilder group)
    {
        group.MapGet("/", List);
        group.MapPost("/", Upload)
            .WithMetadata(new RequestSizeLimitAttribute(AssignmentPackage.MaxPackageBytes))
            .WithDescription("Body: the package as application/zip, or multipart/form-data with one .zip file or the package's files. ?publish=true publishes it.");
        group.MapPost("/{assignmentId}/publish", (string assignmentId, AssignmentStore a, CancellationToken ct) => SetPublished(assignmentId, true, a, ct));
        group.MapPost("/{assignmentId}/unpublish", (string assignmentId, AssignmentStore a, CancellationToken ct) => SetPublished(assignmentId, false, a, ct));
    }

    public static async Task<Ok<InstructorAssignmentView[]>> List(AssignmentStore assignments, CancellationToken cancellationToken) =>
        TypedResults.Ok((await assignments.ListAsync(publishedOnly: false, cancellationToken)).Select(a => a.ToInstructorView()).ToArray());

    public static async Task<Results<Created<UploadedView>, Ok<UploadedView>, ProblemHttpResult>> Upload(
        HttpRequest request, bool? publish, AssignmentStore assignments, CancellationToken cancellationToken)
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
                    ["problems"] = loaded.Problems.Select(p => new { p.File, p.Field, p.Reason, Text = p.ToString() }).ToArray(),
                });
        }
        var saved = await assignments.SaveVersionAsync(package.ToVersion(), publish ?? false, cancellationToken);
        var row = await assignments.GetAsync(package.Id, cancellationToken);
        var view = new UploadedView(package.Id, saved.Version, saved.Created, package.ContentHash, row?.Published ?? false);
        return saved.Created ? TypedResults.Created($"/api/assignments/{package.Id}", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<InstructorAssignmentView>, ProblemHttpResult>> SetPublished(
        string assignmentId, bool published, AssignmentStore assignments, CancellationToken cancellationToken)
    {
        if (!await assignments.SetPublishedAsync(assignmentId, published, cancellationToken))
        {
            return UnknownAssignment(assignmentId);
        }
        return TypedResults.Ok((await assignments.GetAsync(assignmentId, cancellationToken))!.ToInstructorView());
    }

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
            catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                throw new UploadProblem(400, "Malformed form", $"The multipart body could not be read ({e.Message}).");
            }
            if (form.Files.Count == 0)
            {
                throw new UploadProblem(400, "No files", "Upload the package as one zip file, or its files (assignment.json, README.md, …) each as a form file.");
            }
            if (form.Files.Count == 1 && form.Files[0].FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                await using var zip = form.Files[0].OpenReadStream();
                return PackageFiles.FromZip(await ReadAllAsync(zip, cancellationToken));
            }
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var file in form.Files)
            {
                var path = file.FileName.Replace('\\', '/').TrimStart('/');
                if (PackageFiles.PathProblem(path) is { } problem)
                {
                    throw new UploadProblem(400, "Bad file name", $"The form file '{file.FileName}' {problem}");
                }
                await using var stream = file.OpenReadStream();
                files[path] = await ReadAllAsync(stream, cancellationToken);
            }
            return files;
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
