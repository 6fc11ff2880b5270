using Npgsql;

namespace Grader.Api.Grades;

// Who the statistics count: each student's counting submission (the one the gradebook holds under
// the assignment's best-or-last policy); the timeline counts every submission.
public sealed record CohortSummary(int Students, int WithCases, int Submissions);

// Students whose effective score, as a share of the maximum, fell in [From, To) (the last bin holds 100 %).
public sealed record ScoreBin(int From, int To, int Students);

public sealed record CaseStatistics(
    string Case, string Exercise, string ExerciseTitle, string Visibility, int Ran, int Passed, string? CommonFailure)
{
    public bool Hidden => !string.Equals(Visibility, "visible", StringComparison.OrdinalIgnoreCase);
    public int Failed => Ran - Passed;
    public double PassRate => Ran == 0 ? 0 : (double)Passed / Ran;
}

public sealed record DaySubmissions(DateOnly Day, int Submissions, int Students);

public sealed record AssignmentStatistics(
    CohortSummary Summary, IReadOnlyList<ScoreBin> Scores, IReadOnlyList<CaseStatistics> Cases, IReadOnlyList<DaySubmissions> Timeline)
{
    // Per exercise, its case that most students failed (the first in the package on a tie); none when nobody failed any.
    public IReadOnlyList<CaseStatistics> MostFailed =>
        Cases.GroupBy(c => c.Exercise, StringComparer.Ordinal)
            .Select(g => g.Where(c => c.Failed > 0).OrderByDescending(c => c.Failed).FirstOrDefault())
            .OfType<CaseStatistics>()
            .ToList();
}

// The cohort's statistics of one assignment, computed by PostgreSQL over the stored reports.
public sealed class CohortStatistics(NpgsqlDataSource dataSource)
{
    public const int Bins = 10;

    public async Task<AssignmentStatistics> GetAsync(string assignmentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot, so that the four figures agree with each other.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var summary = await SummaryAsync(connection, transaction, assignmentId, cancellationToken).ConfigureAwait(false);
        var scores = await ScoresAsync(connection, transaction, assignmentId, cancellationToken).ConfigureAwait(false);
        var cases = await CasesAsync(connection, transaction, assignmentId, cancellationToken).ConfigureAwait(false);
        var timeline = await TimelineAsync(connection, transaction, assignmentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AssignmentStatistics(summary, scores, cases, timeline);
    }

    private static async Task<CohortSummary> SummaryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM grades WHERE assignment_id = $1)::int,
                   (SELECT count(*) FROM grades g JOIN submissions s ON s.id = g.submission_id
                    WHERE g.assignment_id = $1 AND jsonb_typeof(s.report->'exercises') = 'array' AND jsonb_array_length(s.report->'exercises') > 0)::int,
                   (SELECT count(*) FROM submissions WHERE assignment_id = $1)::int
            """, connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new CohortSummary(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    // Ten bins of ten percentage points of the effective score (after any late penalty).
    private static async Task<IReadOnlyList<ScoreBin>> ScoresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT b.bin, count(g.student_id)::int
            FROM generate_series(1, $2) AS b(bin)
            LEFT JOIN grades g ON g.assignment_id = $1 AND g.max_score > 0
                 AND least(greatest(width_bucket(g.score / g.max_score, 0, 1, $2), 1), $2) = b.bin
            GROUP BY b.bin ORDER BY b.bin
            """, connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = Bins });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var bins = new List<ScoreBin>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var bin = reader.GetInt32(0);
            bins.Add(new ScoreBin((bin - 1) * 100 / Bins, bin * 100 / Bins, reader.GetInt32(1)));
        }
        return bins;
    }

    // Every case of the current version, in the package's order, with how many counting submissions
    // ran it and passed it. A counting submission that did not compile ran no case and is left out.
    private static async Task<IReadOnlyList<CaseStatistics>> CasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH cases AS (
                SELECT c.position, c.value->>'name' AS name, c.value->>'exercise' AS exercise,
                       coalesce(c.value->>'visibility', 'Visible') AS visibility,
                       coalesce((SELECT e->>'title' FROM jsonb_array_elements(v.manifest->'exercises') e WHERE e->>'id' = c.value->>'exercise'), c.value->>'exercise') AS title
                FROM assignments a
                JOIN assignment_versions v ON v.assignment_id = a.id AND v.version = a.current_version
                CROSS JOIN LATERAL jsonb_array_elements(v.manifest->'cases') WITH ORDINALITY AS c(value, position)
                WHERE a.id = $1
            ),
            results AS (
                SELECT rc->>'name' AS name, rc->>'verdict' AS verdict
                FROM grades g
                JOIN submissions s ON s.id = g.submission_id
                CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.report->'exercises') = 'array' THEN s.report->'exercises' ELSE '[]' END) e
                CROSS JOIN LATERAL jsonb_array_elements(e->'cases') rc
                WHERE g.assignment_id = $1
            )
            SELECT c.name, c.exercise, c.title, c.visibility,
                   count(r.verdict)::int,
                   count(r.verdict) FILTER (WHERE r.verdict = 'Passed')::int,
                   mode() WITHIN GROUP (ORDER BY r.verdict) FILTER (WHERE r.verdict <> 'Passed')
            FROM cases c LEFT JOIN results r ON r.name = c.name
            GROUP BY c.position, c.name, c.exercise, c.title, c.visibility
            ORDER BY c.position
            """, connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var cases = new List<CaseStatistics>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cases.Add(new CaseStatistics(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return cases;
    }

    // Every submission (each attempt, whatever its outcome) per UTC day, from the first day to the last.
    private static async Task<IReadOnlyList<DaySubmissions>> TimelineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH days AS (
                SELECT (submitted_at AT TIME ZONE 'UTC')::date AS day, student_id FROM submissions WHERE assignment_id = $1
            )
            SELECT d.day, count(days.day)::int, count(DISTINCT days.student_id)::int
            FROM generate_series((SELECT min(day) FROM days), (SELECT max(day) FROM days), interval '1 day') AS d(day)
            LEFT JOIN days ON days.day = d.day::date
            GROUP BY d.day ORDER BY d.day
            """, connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var days = new List<DaySubmissions>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            days.Add(new DaySubmissions(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2)));
        }
        return days;
    }
}
