using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Submissions;

public sealed record SubmissionRow(
    Guid Id,
    Guid StudentId,
    string AssignmentId,
    int AssignmentVersion,
    SubmissionState State,
    int Attempts,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Score,
    double? MaxScore,
    string? ReportJson,
    string SourceHash,
    IReadOnlyList<string> AfterDueCases);

// What a worker needs to grade: the row just moved to Running.
public sealed record StartedSubmission(Guid Id, Guid StudentId, string AssignmentId, int AssignmentVersion, string Source, int Attempts, DateTimeOffset SubmittedAt, Guid? RegradeId);

// A finished submission that counts towards a grade, with the student it belongs to.
public sealed record ScoredSubmission(Guid StudentId, string ExternalId, string DisplayName, Guid SubmissionId, double Score, double MaxScore, DateTimeOffset SubmittedAt);

public abstract record SubmitOutcome
{
    // Dispatched is set when the submission heads its student's lane and needs a job now.
    public sealed record Created(Guid Id, Dispatch? Dispatched) : SubmitOutcome;
    // The same Idempotency-Key was seen before; SameSource says whether the body matched.
    public sealed record Replayed(Guid Id, bool SameSource) : SubmitOutcome;
    public sealed record LimitReached(int Max) : SubmitOutcome;
}

// A lane's head, marked in the database and waiting for its job to be created.
public sealed record Dispatch(Guid SubmissionId, DateTimeOffset DispatchedAt);

// A dispatched submission the sweeper looks at: its job may be missing, finished or failed.
public sealed record DispatchedSubmission(Guid Id, Guid StudentId, SubmissionState State, string? JobId, DateTimeOffset DispatchedAt);

public sealed record NewSubmission(Guid StudentId, string AssignmentId, int AssignmentVersion, string Source, string SourceHash, string? IdempotencyKey, int? MaxSubmissions);

public sealed partial class SubmissionStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string SelectSubmission =
        """
        SELECT s.id, s.student_id, s.assignment_id, s.assignment_version, s.status, s.attempts, s.submitted_at, s.started_at,
               s.finished_at, s.score, s.max_score, s.report::text, s.source_hash,
               array(SELECT c->>'name' FROM jsonb_array_elements(v.manifest->'cases') c WHERE c->>'visibility' = 'AfterDue')
        FROM submissions s
        JOIN assignment_versions v ON v.assignment_id = s.assignment_id AND v.version = s.assignment_version
        """;

    public async Task<SubmitOutcome> InsertAsync(NewSubmission submission, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // One student's submissions to one assignment are counted and inserted one at a time.
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            gate.Parameters.Add(new() { Value = $"submit/{submission.StudentId}/{submission.AssignmentId}" });
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (submission.IdempotencyKey is not null)
        {
            await using var replay = new NpgsqlCommand(
                "SELECT id, source_hash FROM submissions WHERE student_id = $1 AND assignment_id = $2 AND idempotency_key = $3",
                connection, transaction);
            replay.Parameters.Add(new() { Value = submission.StudentId });
            replay.Parameters.Add(new() { Value = submission.AssignmentId });
            replay.Parameters.Add(new() { Value = submission.IdempotencyKey });
            await using var reader = await replay.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new SubmitOutcome.Replayed(reader.GetGuid(0), reader.GetString(1) == submission.SourceHash);
            }
        }

        if (submission.MaxSubmissions is { } max)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM submissions WHERE student_id = $1 AND assignment_id = $2", connection, transaction);
            count.Parameters.Add(new() { Value = submission.StudentId });
            count.Parameters.Add(new() { Value = submission.AssignmentId });
            if ((long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! >= max)
            {
                return new SubmitOutcome.LimitReached(max);
            }
        }

        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO submissions (id, student_id, assignment_id, assignment_version, source, source_hash, idempotency_key, status, submitted_at, queued_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8, $8)
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = submission.StudentId });
            insert.Parameters.Add(new() { Value = submission.AssignmentId });
            insert.Parameters.Add(new() { Value = submission.AssignmentVersion });
            insert.Parameters.Add(new() { Value = submission.Source });
            insert.Parameters.Add(new() { Value = submission.SourceHash });
            insert.Parameters.Add(new() { Value = (object?)submission.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = now });
            insert.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var dispatch = await DispatchNextAsync(connection, transaction, submission.StudentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome.Created(id, dispatch);
    }

    // Fairness: one student's submissions are graded one at a time, oldest first, so that a student
    // who sends many (or slow ones) holds at most one grading slot. The student's oldest Queued
    // submission becomes the lane's head unless one is already dispatched or Running. Runs in the
    // caller's transaction, under a per-student lock, so two nodes never dispatch two heads.
    public async Task<Dispatch?> DispatchNextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid studentId, CancellationToken cancellationToken)
    {
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            gate.Parameters.Add(new() { Value = $"lane/{studentId}" });
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var command = new NpgsqlCommand(
            """
            UPDATE submissions SET dispatched_at = $2, job_id = NULL
            WHERE id = (SELECT id FROM submissions WHERE student_id = $1 AND status = $3 ORDER BY submitted_at, id LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM submissions
                              WHERE student_id = $1 AND (status = $4 OR (status = $3 AND dispatched_at IS NOT NULL)))
            RETURNING id, dispatched_at
            """, connection, transaction);
        command.Parameters.Add(new() { Value = studentId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = SubmissionState.Running.Name() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new Dispatch(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    public async Task<Dispatch?> DispatchNextAsync(Guid studentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var dispatch = await DispatchNextAsync(connection, transaction, studentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return dispatch;
    }

    // The job now exists. Only for the same dispatch: a later one has its own job.
    public async Task RecordJobAsync(Dispatch dispatch, string jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE submissions SET job_id = $3 WHERE id = $1 AND dispatched_at = $2 AND job_id IS NULL");
        command.Parameters.Add(new() { Value = dispatch.SubmissionId });
        command.Parameters.Add(new() { Value = dispatch.DispatchedAt });
        command.Parameters.Add(new() { Value = jobId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SubmissionRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectSubmission + " WHERE s.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    // Kept out of SubmissionRow: lists never need it, and it is up to 64 KiB per row.
    public async Task<string?> GetSourceAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT source FROM submissions WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SubmissionRow>> ListForStudentAsync(Guid studentId, string? assignmentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            SelectSubmission + " WHERE s.student_id = $1 AND ($2::text IS NULL OR s.assignment_id = $2) ORDER BY s.submitted_at DESC LIMIT 500");
        command.Parameters.Add(new() { Value = studentId });
        command.Parameters.Add(new() { Value = (object?)assignmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<SubmissionRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }
        return rows;
    }

    // Queued → Running, by the job that then owns the submission. Running → Running only for that
    // same job: it was fetched again after its node died, and grading starts again from the
    // beginning. Null when the submission is finished or another job owns it (a duplicate).
    public async Task<StartedSubmission?> TryStartAsync(Guid id, string worker, string jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE submissions SET status = $4, started_at = $2, attempts = attempts + 1, worker = $3, job_id = $6,
                                   dispatched_at = coalesce(dispatched_at, $2)
            WHERE id = $1 AND (status = $5 OR (status = $4 AND job_id = $6))
            RETURNING student_id, assignment_id, assignment_version, source, attempts, submitted_at, regrade_id
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = worker });
        command.Parameters.Add(new() { Value = SubmissionState.Running.Name() });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StartedSubmission(id, reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6))
            : null;
    }

    // Running → a final state, in the caller's transaction, by the job that started it. Null when
    // the row was not Running under that job (another run finished first); otherwise the time it finished.
    public async Task<DateTimeOffset?> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string jobId, SubmissionState state,
        double score, double maxScore, string reportJson, CancellationToken cancellationToken)
    {
        if (!state.IsFinished())
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A submission finishes in a final state.");
        }
        var now = time.GetUtcNow();
        await using var command = new NpgsqlCommand(
            """
            UPDATE submissions SET status = $2, score = $3, max_score = $4, report = $5, finished_at = $6, dispatched_at = NULL
            WHERE id = $1 AND status = $7 AND job_id = $8
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = state.Name() });
        command.Parameters.Add(new() { Value = score });
        command.Parameters.Add(new() { Value = maxScore });
        command.Parameters.Add(new() { Value = StorableJson(reportJson), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = SubmissionState.Running.Name() });
        command.Parameters.Add(new() { Value = jobId });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? now : null;
    }

    // jsonb refuses U+0000, and a submission can print it: without this its report could never be
    // stored and the job would fail on every retry. It is kept as U+2400 (the visible symbol for
    // NUL); an escaped backslash followed by "u0000" is the student's own text and stays.
    internal static string StorableJson(string json) =>
        json.Contains("\\u0000", StringComparison.Ordinal) ? NulEscape().Replace(json, "$1\\u2400") : json;

    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex NulEscape();

    // Running → Queued, for a retry of the same job after an infrastructure failure. The submission
    // keeps its job and so its lane.
    public async Task<bool> RequeueAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE submissions SET status = $3, queued_at = $2 WHERE id = $1 AND status = $4");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = SubmissionState.Running.Name() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    // Students whose lane has no head: a Queued submission but none dispatched or Running (a
    // regrade interrupted half-way, or rows from before lanes existed).
    public async Task<IReadOnlyList<Guid>> FindStalledLanesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT DISTINCT q.student_id FROM submissions q
            WHERE q.status = $1
              AND NOT EXISTS (SELECT 1 FROM submissions s
                              WHERE s.student_id = q.student_id AND (s.status = $2 OR (s.status = $1 AND s.dispatched_at IS NOT NULL)))
            LIMIT 500
            """);
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = SubmissionState.Running.Name() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    // Dispatched submissions, Queued or Running, dispatched before the given time: the sweeper
    // checks that each still has a live job.
    public async Task<IReadOnlyList<DispatchedSubmission>> ListDispatchedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, student_id, status, job_id, dispatched_at FROM submissions
            WHERE status = ANY ($1) AND dispatched_at < $2
            ORDER BY dispatched_at
            LIMIT 500
            """);
        command.Parameters.Add(new() { Value = SubmissionStates.Pending });
        command.Parameters.Add(new() { Value = before });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<DispatchedSubmission>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new DispatchedSubmission(reader.GetGuid(0), reader.GetGuid(1), SubmissionStates.Parse(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return rows;
    }

    // The job of a dispatched submission is gone: give the submission a new dispatch (Running →
    // Queued too, as a recovered job would). Only if nothing moved it meanwhile.
    public async Task<Dispatch?> RedispatchAsync(DispatchedSubmission stranded, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE submissions SET status = $4, dispatched_at = $3, job_id = NULL, queued_at = $3
            WHERE id = $1 AND dispatched_at = $2 AND status = ANY ($5)
            RETURNING dispatched_at
            """);
        command.Parameters.Add(new() { Value = stranded.Id });
        command.Parameters.Add(new() { Value = stranded.DispatchedAt });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        command.Parameters.Add(new() { Value = SubmissionStates.Pending });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new Dispatch(stranded.Id, reader.GetFieldValue<DateTimeOffset>(0)) : null;
    }

    // Queued, and the age of the oldest Queued submission: what the queue metrics show.
    public async Task<(long Pending, TimeSpan OldestQueued)> QueueStateAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), coalesce(extract(epoch FROM $2 - min(queued_at) FILTER (WHERE status = $3)), 0)::float8 FROM submissions WHERE status = ANY ($1)");
        command.Parameters.Add(new() { Value = SubmissionStates.Pending });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = SubmissionState.Queued.Name() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1))));
    }

    // Every scored submission of the assignment (of one student, or all), oldest first per student,
    // in the caller's transaction: what the gradebook chooses the counting one from.
    public async Task<IReadOnlyList<ScoredSubmission>> ListScoredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string assignmentId, Guid? studentId, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            """
            SELECT s.student_id, u.external_id, u.display_name, s.id, s.score, s.max_score, s.submitted_at
            FROM submissions s JOIN users u ON u.id = s.student_id
            WHERE s.assignment_id = $1 AND ($2::uuid IS NULL OR s.student_id = $2)
              AND s.status = ANY ($3) AND s.score IS NOT NULL
            ORDER BY s.student_id, s.submitted_at
            """, connection, transaction);
        select.Parameters.Add(new() { Value = assignmentId });
        select.Parameters.Add(new() { Value = (object?)studentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        select.Parameters.Add(new() { Value = SubmissionStates.Scored });
        await using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ScoredSubmission>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ScoredSubmission(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetDouble(4), r.GetDouble(5), r.GetFieldValue<DateTimeOffset>(6)));
        }
        return rows;
    }

    private static SubmissionRow Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), SubmissionStates.Parse(r.GetString(4)), r.GetInt32(5),
        r.GetFieldValue<DateTimeOffset>(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetDouble(9),
        r.IsDBNull(10) ? null : r.GetDouble(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.GetString(12),
        r.GetFieldValue<string[]>(13));
}
