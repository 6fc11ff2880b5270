using System.Globalization;
using System.Text;
using System.Text.Json;
using Grader.Api.Auth;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Submissions;
using Grader.Api.Webhooks;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Grader.Api.Assignments;

public sealed record UploadedView(string AssignmentId, int Version, bool Created, string ContentHash, bool Published);

public sealed record SettingsRequest(
    DateTimeOffset? OpensAt,
    DateTimeOffset? DueAt,
    double? LatePenaltyPerDay,
    DateTimeOffset? HardCutoffAt,
    int? MaxSubmissions,
    string? ScorePolicy,
    bool? RevealAfterDue);

public sealed record RegradeView(Guid RegradeId, string AssignmentId, int Version, int Queued);

public sealed record RegradeStatusView(Guid RegradeId, int Total, int Pending, int Finished, int Changed);

public sealed record CaseStatisticsView(string Case, string Exercise, bool Hidden, int Students, int Passed, double PassRate);

/// <summary>Instructors: packages, publishing, settings, regrades, the gradebook and per-case statistics.</summary>
public static class InstructorEndpoints
{
    public const int MaxPackageBytes = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapInstructor(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instructor/assignments").WithTags("Instructor").RequireAuthorization(Policies.Instructor);
        group.MapGet("/", List);
        group.MapPost("/", Upload)
            .WithMetadata(new RequestSizeLimitAttribute(MaxPackageBytes))
            .WithDescription("Body: the package as application/zip, or multipart/form-data with one .zip file or the package's files. ?publish=true publishes it.");
        group.MapPost("/{assignmentId}/publish", (string assignmentId, AssignmentStore a, CancellationToken ct) => SetPublished(assignmentId, true, a, ct));
        group.MapPost("/{assignmentId}/unpublish", (string assignmentId, AssignmentStore a, CancellationToken ct) => SetPublished(assignmentId, false, a, ct));
        group.MapPut("/{assignmentId}/settings", UpdateSettings);
        group.MapPost("/{assignmentId}/regrade", Regrade);
        group.MapGet("/{assignmentId}/regrades/{regradeId:guid}", GetRegrade);
        group.MapGet("/{assignmentId}/gradebook", Gradebook);
        group.MapGet("/{assignmentId}/gradebook.csv", GradebookCsv);
        group.MapGet("/{assignmentId}/statistics", Statistics);
        return group;
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

    public static async Task<Results<Ok<InstructorAssignmentView>, ValidationProblem, ProblemHttpResult>> UpdateSettings(
        string assignmentId, SettingsRequest request, AssignmentStore assignments, GradeBook grades, NpgsqlDataSource dataSource,
        WebhookOutbox webhooks, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.LatePenaltyPerDay is < 0 or > 1 || request.LatePenaltyPerDay is double p && double.IsNaN(p))
        {
            errors["latePenaltyPerDay"] = ["A fraction of the score per day late, from 0 to 1 (0.1 = 10% a day)."];
        }
        if (request.MaxSubmissions is <= 0)
        {
            errors["maxSubmissions"] = ["At least 1, or leave it out for no limit."];
        }
        if (request.ScorePolicy is not (null or "best" or "last"))
        {
            errors["scorePolicy"] = ["'best' (the best score after penalties counts) or 'last' (the last graded submission counts)."];
        }
        if (request.OpensAt is { } o && request.DueAt is { } d && d < o)
        {
            errors["dueAt"] = ["The due date is before the opening date."];
        }
        if (request.DueAt is { } due && request.HardCutoffAt is { } cutoff && cutoff < due)
        {
            errors["hardCutoffAt"] = ["The hard cutoff is before the due date."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid settings");
        }

        var settings = new AssignmentSettings(request.OpensAt, request.DueAt, request.LatePenaltyPerDay ?? 0, request.HardCutoffAt,
            request.MaxSubmissions, request.ScorePolicy ?? "best", request.RevealAfterDue ?? true);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await assignments.UpdateSettingsAsync(connection, transaction, assignmentId, settings, cancellationToken))
        {
            return UnknownAssignment(assignmentId);
        }
        // Due date, penalty and policy all change what counts: every grade is rewritten with the settings.
        await grades.RecomputeAsync(connection, transaction, assignmentId, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        webhooks.Wake();
        return TypedResults.Ok((await assignments.GetAsync(assignmentId, cancellationToken))!.ToInstructorView());
    }

    public static async Task<Results<Accepted<RegradeView>, ProblemHttpResult>> Regrade(
        string assignmentId, AssignmentStore assignments, NpgsqlDataSource dataSource, SubmissionQueue queue, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is not { CurrentVersion: { } version })
        {
            return UnknownAssignment(assignmentId);
        }
        var regradeId = Guid.CreateVersion7();
        var ids = new List<Guid>();
        // Each student's latest finished submission goes back to Queued against the current version.
        await using (var command = dataSource.CreateCommand(
            """
            WITH latest AS (
                SELECT DISTINCT ON (student_id) id, status FROM submissions
                WHERE assignment_id = $1
                ORDER BY student_id, submitted_at DESC
            )
            UPDATE submissions s
            SET status = 'Queued', assignment_version = $2, regrade_id = $3, previous_score = s.score, queued_at = now(), attempts = 0
            FROM latest
            WHERE s.id = latest.id AND latest.status IN ('Graded', 'CompileError', 'Rejected', 'Failed')
            RETURNING s.id
            """))
        {
            command.Parameters.Add(new() { Value = assignmentId });
            command.Parameters.Add(new() { Value = version });
            command.Parameters.Add(new() { Value = regradeId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
        }
        foreach (var id in ids)
        {
            await queue.EnqueueAsync(id, cancellationToken);
        }
        var location = $"/api/instructor/assignments/{assignmentId}/regrades/{regradeId}";
        return TypedResults.Accepted(location, new RegradeView(regradeId, assignmentId, version, ids.Count));
    }

    public static async Task<Ok<RegradeStatusView>> GetRegrade(string assignmentId, Guid regradeId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*)::int,
                   count(*) FILTER (WHERE status IN ('Queued', 'Running'))::int,
                   count(*) FILTER (WHERE status NOT IN ('Queued', 'Running'))::int,
                   count(*) FILTER (WHERE status NOT IN ('Queued', 'Running') AND score IS DISTINCT FROM previous_score)::int
            FROM submissions WHERE assignment_id = $1 AND regrade_id = $2
            """);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = regradeId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return TypedResults.Ok(new RegradeStatusView(regradeId, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
    }

    public static async Task<Results<Ok<GradebookEntryView[]>, ProblemHttpResult>> Gradebook(
        string assignmentId, AssignmentStore assignments, GradeBook grades, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return UnknownAssignment(assignmentId);
        }
        return TypedResults.Ok((await grades.ListAsync(assignmentId, null, cancellationToken)).Select(g => g.ToEntryView()).ToArray());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GradebookCsv(
        string assignmentId, AssignmentStore assignments, GradeBook grades, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return UnknownAssignment(assignmentId);
        }
        var csv = new StringBuilder("student,submission_id,raw_score,max_score,days_late,penalty,score\n");
        foreach (var g in await grades.ListAsync(assignmentId, null, cancellationToken))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{CsvField(g.ExternalId)},{g.SubmissionId},{g.RawScore:R},{g.MaxScore:R},{g.DaysLate},{g.Penalty:R},{g.Score:R}\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"{assignmentId}-gradebook.csv");
    }

    /// <summary>Pass rate per case over each student's latest graded submission.</summary>
    public static async Task<Results<Ok<CaseStatisticsView[]>, ProblemHttpResult>> Statistics(
        string assignmentId, AssignmentStore assignments, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (await assignments.GetAsync(assignmentId, cancellationToken) is null)
        {
            return UnknownAssignment(assignmentId);
        }
        await using var command = dataSource.CreateCommand(
            """
            SELECT DISTINCT ON (student_id) report::text FROM submissions
            WHERE assignment_id = $1 AND status = 'Graded' AND report IS NOT NULL
            ORDER BY student_id, submitted_at DESC
            """);
        command.Parameters.Add(new() { Value = assignmentId });
        var tally = new Dictionary<string, (string Exercise, bool Hidden, int Students, int Passed)>(StringComparer.Ordinal);
        var order = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var report = JsonSerializer.Deserialize<GradeReport>(reader.GetString(0), Json.Options)!;
                foreach (var c in report.Exercises.SelectMany(e => e.Cases))
                {
                    if (!tally.TryGetValue(c.Name, out var t))
                    {
                        order.Add(c.Name);
                        t = (c.Exercise, c.Hidden, 0, 0);
                    }
                    tally[c.Name] = (t.Exercise, t.Hidden, t.Students + 1, t.Passed + (c.Verdict == CaseVerdict.Passed ? 1 : 0));
                }
            }
        }
        return TypedResults.Ok(order.Select(name =>
        {
            var t = tally[name];
            return new CaseStatisticsView(name, t.Exercise, t.Hidden, t.Students, t.Passed, t.Students == 0 ? 0 : Math.Round((double)t.Passed / t.Students, 4));
        }).ToArray());
    }

    private sealed class UploadProblem(int status, string title, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Title { get; } = title;
    }

    private static async Task<Dictionary<string, byte[]>> ReadPackageFilesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxPackageBytes)
        {
            throw new UploadProblem(413, "Package too large", $"A package upload may be at most {MaxPackageBytes / (1024 * 1024)} MiB.");
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
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
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
                if (path.Length == 0 || path.Split('/').Contains(".."))
                {
                    throw new UploadProblem(400, "Bad file name", $"'{file.FileName}' is not a relative path inside the package.");
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
            if (buffer.Length + read > MaxPackageBytes)
            {
                throw new UploadProblem(413, "Package too large", $"A package upload may be at most {MaxPackageBytes / (1024 * 1024)} MiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static ProblemHttpResult UnknownAssignment(string id) =>
        TypedResults.Problem(title: "Unknown assignment", detail: $"There is no assignment '{id}' with an uploaded package.", statusCode: StatusCodes.Status404NotFound);
}
