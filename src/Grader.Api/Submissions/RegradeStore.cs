using Npgsql;

namespace Grader.Api.Submissions;

public sealed record RegradeProgress(Guid Id, string AssignmentId, int Version, DateTimeOffset StartedAt, int Total, int Finished, int Changed)
{
    public int Pending => Total - Finished;
    public bool Done => Finished >= Total;
}

// One student's grade in a finished part of a regrade: before and after, as the gradebook held it.
public sealed record RegradedGrade(string ExternalId, string DisplayName, Guid SubmissionId,
    double? ScoreBefore, double? MaxBefore, double? GradeBefore, string StatusAfter, double? ScoreAfter, double? MaxAfter, double? GradeAfter);

// Regrades and their progress, in the database: every node reads the same figures, and a restart
// loses nothing. A submission's part of a regrade is marked finished in the transaction that stores
// its result (at most once: a second run of the same job finds it finished).
public sealed class RegradeStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string Channel = "regrade_progress";

    // Each student's latest submission, if finished, goes back to Queued against the given version;
    // its score and the student's grade are kept as they were. Returns the students whose lanes
    // must be dispatched.
    public async Task<IReadOnlyList<Guid>> StartAsync(string assignmentId, int version, Guid regradeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH regrade AS (
                INSERT INTO regrades (id, assignment_id, version, started_at) VALUES ($3, $1, $2, $6)
            ),
            latest AS (
                SELECT DISTINCT ON (student_id) id, status FROM submissions
                WHERE assignment_id = $1
                ORDER BY student_id, submitted_at DESC
            ),
            requeued AS (
                UPDATE submissions s
                SET status = $4, assignment_version = $2, regrade_id = $3, previous_score = s.score, queued_at = $6, attempts = 0,
                    dispatched_at = NULL, job_id = NULL
                FROM latest
                WHERE s.id = latest.id AND latest.status = ANY ($5)
                -- max_score is not set here: it is still the maximum the score was out of.
                RETURNING s.id, s.student_id, s.previous_score, s.max_score AS max_before
            )
            INSERT INTO regrade_submissions (regrade_id, submission_id, student_id, score_before, max_before, grade_before)
            SELECT $3, r.id, r.student_id, r.previous_score, r.max_before, g.score
            FROM requeued r LEFT JOIN grades g ON g.student_id = r.student_id AND g.assignment_id = $1
            RETURNING student_id
            """);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = regradeId });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = SubmissionStates.Finished });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    // In the transaction that stored the result, after the gradebook was recomputed: the grade after is the one just written.
    public async Task RecordFinishedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid regradeId, Guid submissionId,
        SubmissionState state, double score, double maxScore, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE regrade_submissions rs
            SET status_after = $3, score_after = $4, max_after = $5, finished_at = $6,
                grade_after = (SELECT g.score FROM grades g JOIN regrades r ON r.id = rs.regrade_id
                               WHERE g.student_id = rs.student_id AND g.assignment_id = r.assignment_id)
            WHERE rs.regrade_id = $1 AND rs.submission_id = $2 AND rs.finished_at IS NULL
            """, connection, transaction);
        command.Parameters.Add(new() { Value = regradeId });
        command.Parameters.Add(new() { Value = submissionId });
        command.Parameters.Add(new() { Value = state.Name() });
        command.Parameters.Add(new() { Value = score });
        command.Parameters.Add(new() { Value = maxScore });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private const string SelectProgress =
        """
        SELECT r.id, r.assignment_id, r.version, r.started_at,
               count(rs.submission_id)::int,
               count(rs.finished_at)::int,
               count(*) FILTER (WHERE rs.finished_at IS NOT NULL AND rs.grade_before IS DISTINCT FROM rs.grade_after)::int
        FROM regrades r LEFT JOIN regrade_submissions rs ON rs.regrade_id = r.id
        """;

    public async Task<RegradeProgress?> GetAsync(string assignmentId, Guid regradeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectProgress + " WHERE r.id = $2 AND r.assignment_id = $1 GROUP BY r.id");
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = regradeId });
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RegradeProgress?> LatestAsync(string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectProgress + " WHERE r.assignment_id = $1 GROUP BY r.id ORDER BY r.started_at DESC, r.id DESC LIMIT 1");
        command.Parameters.Add(new() { Value = assignmentId });
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // The students whose grade the regrade changed, by external id.
    public async Task<IReadOnlyList<RegradedGrade>> ListChangedAsync(Guid regradeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.external_id, u.display_name, rs.submission_id, rs.score_before, rs.max_before, rs.grade_before,
                   rs.status_after, rs.score_after, rs.max_after, rs.grade_after
            FROM regrade_submissions rs JOIN users u ON u.id = rs.student_id
            WHERE rs.regrade_id = $1 AND rs.finished_at IS NOT NULL AND rs.grade_before IS DISTINCT FROM rs.grade_after
            ORDER BY u.external_id
            LIMIT 5000
            """);
        command.Parameters.Add(new() { Value = regradeId });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<RegradedGrade>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RegradedGrade(r.GetString(0), r.GetString(1), r.GetGuid(2), Nullable(r, 3), Nullable(r, 4), Nullable(r, 5),
                r.GetString(6), Nullable(r, 7), Nullable(r, 8), Nullable(r, 9)));
        }
        return rows;
    }

    private static double? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static async Task<RegradeProgress?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RegradeProgress(r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetFieldValue<DateTimeOffset>(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6))
            : null;
    }
}
