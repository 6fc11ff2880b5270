using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Grader.Api.Assignments;

public sealed record SettingsRequest(
    DateTimeOffset? OpensAt,
    DateTimeOffset? DueAt,
    double? LatePenaltyPerDay,
    DateTimeOffset? HardCutoffAt,
    int? MaxSubmissions,
    [property: TextLimit(10)] string? ScorePolicy,
    bool? RevealAfterDue);

// Instructors: dates, late penalty, submission limit and the best-or-last policy of an assignment.
public static class SettingsEndpoints
{
    public static void MapSettings(RouteGroupBuilder group) => group.MapPut("/{assignmentId}/settings", UpdateSettings);

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

        var settings = AssignmentSettings.FromRequest(request);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await assignments.UpdateSettingsAsync(connection, transaction, assignmentId, settings, cancellationToken))
        {
            return PackageEndpoints.UnknownAssignment(assignmentId);
        }
        // Due date, penalty and policy all change what counts: every grade is rewritten with the settings.
        await grades.RecomputeAsync(connection, transaction, assignmentId, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        webhooks.Wake();
        return TypedResults.Ok((await assignments.GetAsync(assignmentId, cancellationToken))!.ToInstructorView());
    }
}
