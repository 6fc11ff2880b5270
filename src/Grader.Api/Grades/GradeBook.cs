using Grader.Api.Assignments;
using Grader.Api.Lti;
using Grader.Api.Submissions;
using Grader.Api.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Grades;

public sealed record GradeRow(Guid StudentId, string ExternalId, string AssignmentId, Guid SubmissionId, double RawScore, double MaxScore,
    int DaysLate, double Penalty, double Score, DateTimeOffset UpdatedAt);

// A gradebook line: every student, and anyone else who submitted, with their grade if they have one.
// Best and Last are raw scores of scored submissions; Attempts counts every submission.
public sealed record GradebookLine(Guid StudentId, string ExternalId, string DisplayName, double? Score, double? MaxScore, int DaysLate, double Penalty,
    double? Best, double? Last, int Attempts, DateTimeOffset? LastSubmittedAt);

// The counting grade per student and assignment: the best or the last finished submission,
// after its late penalty. Rewritten in the transaction that stores a result, and for a whole
// assignment when its settings change. Each student whose effective score or maximum moved
// gets a grade.changed event in the same transaction, and only they do.
public sealed class GradeBook(NpgsqlDataSource dataSource, AssignmentStore assignments, SubmissionStore submissions, WebhookOutbox webhooks, ScoreOutbox ltiScores)
{
    public static (int DaysLate, double Penalty, double Score) ApplyLatePenalty(double rawScore, DateTimeOffset submittedAt, AssignmentSettings settings)
    {
        if (settings.DueAt is not { } due || submittedAt <= due)
        {
            return (0, 0, rawScore);
        }
        // Every started day late counts.
        var days = (int)Math.Ceiling((submittedAt - due).TotalDays);
        var penalty = Math.Min(1, days * settings.LatePenaltyPerDay);
        return (days, penalty, Math.Round(rawScore * (1 - penalty), 6));
    }

    public async Task RecomputeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, Guid? studentId, CancellationToken cancellationToken)
    {
        // Serialises recomputations of the same grade so two results finishing together cannot both write a stale one.
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            gate.Parameters.Add(new() { Value = $"grade/{assignmentId}/{studentId?.ToString() ?? "*"}" });
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await assignments.GetSettingsAsync(connection, transaction, assignmentId, cancellationToken).ConfigureAwait(false) is not { } settings)
        {
            return;
        }
        var finished = await submissions.ListScoredAsync(connection, transaction, assignmentId, studentId, cancellationToken).ConfigureAwait(false);

        var before = new Dictionary<Guid, (double Score, double Max)>();
        await using (var previous = new NpgsqlCommand(
            "SELECT student_id, score, max_score FROM grades WHERE assignment_id = $1 AND ($2::uuid IS NULL OR student_id = $2)", connection, transaction))
        {
            previous.Parameters.Add(new() { Value = assignmentId });
            previous.Parameters.Add(new() { Value = (object?)studentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await using var r = await previous.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                before[r.GetGuid(0)] = (r.GetDouble(1), r.GetDouble(2));
            }
        }

        await using (var delete = new NpgsqlCommand("DELETE FROM grades WHERE assignment_id = $1 AND ($2::uuid IS NULL OR student_id = $2)", connection, transaction))
        {
            delete.Parameters.Add(new() { Value = assignmentId });
            delete.Parameters.Add(new() { Value = (object?)studentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var perStudent in finished.GroupBy(f => f.StudentId))
        {
            var scored = perStudent.Select(s => (Submission: s.SubmissionId, s.Score, Max: s.MaxScore, s.SubmittedAt, Late: ApplyLatePenalty(s.Score, s.SubmittedAt, settings))).ToList();
            var counting = string.Equals(settings.ScorePolicy, "last", StringComparison.Ordinal)
                ? scored[^1]
                // Best after penalties; the earlier one wins a tie.
                : scored.Aggregate((best, next) => next.Late.Score > best.Late.Score ? next : best);
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO grades (student_id, assignment_id, submission_id, raw_score, max_score, days_late, penalty, score, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = perStudent.Key });
            insert.Parameters.Add(new() { Value = assignmentId });
            insert.Parameters.Add(new() { Value = counting.Submission });
            insert.Parameters.Add(new() { Value = counting.Score });
            insert.Parameters.Add(new() { Value = counting.Max });
            insert.Parameters.Add(new() { Value = counting.Late.DaysLate });
            insert.Parameters.Add(new() { Value = counting.Late.Penalty });
            insert.Parameters.Add(new() { Value = counting.Late.Score });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            var had = before.TryGetValue(perStudent.Key, out var old) ? old : ((double Score, double Max)?)null;
            if (had is null || !Same(had.Value.Score, counting.Late.Score) || !Same(had.Value.Max, counting.Max))
            {
                var student = perStudent.First();
                var data = new GradeChangedData(assignmentId, new StudentRef(perStudent.Key, student.ExternalId, student.DisplayName),
                    counting.Late.Score, counting.Max, counting.Score, counting.Late.DaysLate, counting.Late.Penalty, counting.Submission, had?.Score, had?.Max,
                    webhooks.Link($"/api/instructor/assignments/{Uri.EscapeDataString(assignmentId)}/gradebook"));
                await webhooks.EnqueueAsync(connection, transaction, WebhookEventTypes.GradeChanged, data, cancellationToken).ConfigureAwait(false);
                await ltiScores.EnqueueAsync(connection, transaction, data, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Scores are rounded to 1e-6 when stored; anything smaller is not a change a gradebook shows.
    private static bool Same(double a, double b) => Math.Abs(a - b) < 1e-9;

    public async Task<IReadOnlyList<GradeRow>> ListAsync(string assignmentId, Guid? studentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT g.student_id, u.external_id, g.assignment_id, g.submission_id, g.raw_score, g.max_score, g.days_late, g.penalty, g.score, g.updated_at
            FROM grades g JOIN users u ON u.id = g.student_id
            WHERE g.assignment_id = $1 AND ($2::uuid IS NULL OR g.student_id = $2)
            ORDER BY u.external_id
            """);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = (object?)studentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<GradeRow>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new GradeRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetDouble(4), r.GetDouble(5),
                r.GetInt32(6), r.GetDouble(7), r.GetDouble(8), r.GetFieldValue<DateTimeOffset>(9)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<GradebookLine>> ListLinesAsync(string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.id, u.external_id, u.display_name, g.score, g.max_score, coalesce(g.days_late, 0), coalesce(g.penalty, 0),
                   s.best, s.last, coalesce(s.n, 0)::int, s.last_at
            FROM users u
            LEFT JOIN grades g ON g.student_id = u.id AND g.assignment_id = $1
            LEFT JOIN LATERAL (
                SELECT count(*) AS n, max(submitted_at) AS last_at,
                       max(score) FILTER (WHERE status = ANY ($2) AND score IS NOT NULL) AS best,
                       (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE status = ANY ($2) AND score IS NOT NULL))[1] AS last
                FROM submissions WHERE student_id = u.id AND assignment_id = $1
            ) s ON true
            WHERE u.role = 'student' OR s.n > 0
            ORDER BY u.external_id
            """);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = SubmissionStates.Scored });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var lines = new List<GradebookLine>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(new GradebookLine(r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.IsDBNull(4) ? null : r.GetDouble(4),
                r.GetInt32(5), r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : r.GetDouble(8), r.GetInt32(9),
                r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10)));
        }
        return lines;
    }
}
