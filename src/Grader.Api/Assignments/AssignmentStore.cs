using Grader.Api.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Assignments;

public sealed record AssignmentRow(
    string Id,
    string Title,
    bool Published,
    int? CurrentVersion,
    string? ContentHash,
    string? ManifestJson,
    string? Statement,
    string? Starter,
    AssignmentSettings Settings,
    DateTimeOffset UpdatedAt);

// What taking, grading and showing a submission need of an assignment: none of its package texts,
// which the full row carries and which are tens of kilobytes per read.
public sealed record AssignmentGate(string Id, bool Published, int? CurrentVersion, AssignmentSettings Settings);

// A package ready to store: what the engine loaded, flattened to what the tables hold.
public sealed record PackageVersion(string AssignmentId, string Title, string ContentHash, string ManifestJson, string Statement, string Starter, byte[] PackageZip);

// NeedsValidation: no validation job holds this version yet (new, or left Pending without one).
public sealed record SavedVersion(int Version, bool Created, ValidationState Validation, bool Published, bool NeedsValidation);

public sealed record StoredVersion(string AssignmentId, int Version, string ContentHash, string ManifestJson, byte[] PackageZip, string? ExpectedJson);

public sealed class AssignmentStore(NpgsqlDataSource dataSource, WebhookOutbox webhooks, TimeProvider time)
{
    private const string SelectAssignment =
        $"""
        SELECT a.id, a.title, a.published, a.current_version, v.content_hash, v.manifest::text, v.statement, v.starter,
               a.updated_at, {AssignmentSettings.Columns}
        FROM assignments a
        LEFT JOIN assignment_versions v ON v.assignment_id = a.id AND v.version = a.current_version
        """;

    // Stores a new version, or finds the existing one with the same content hash; it becomes current.
    public async Task<SavedVersion> SaveVersionAsync(PackageVersion package, bool publish, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Lock the assignment row (creating it if new) so two uploads cannot take the same version number.
        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO assignments (id, title, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = package.AssignmentId });
            upsert.Parameters.Add(new() { Value = package.Title });
            upsert.Parameters.Add(new() { Value = time.GetUtcNow() });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM assignments WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new() { Value = package.AssignmentId });
            await lockRow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int? existing = null;
        var state = ValidationState.Pending;
        var hasJob = false;
        await using (var find = new NpgsqlCommand(
            "SELECT version, validation_state, validation_job_id IS NOT NULL FROM assignment_versions WHERE assignment_id = $1 AND content_hash = $2",
            connection, transaction))
        {
            find.Parameters.Add(new() { Value = package.AssignmentId });
            find.Parameters.Add(new() { Value = package.ContentHash });
            await using var r = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (existing, state, hasJob) = (r.GetInt32(0), Enum.Parse<ValidationState>(r.GetString(1)), r.GetBoolean(2));
            }
        }

        var version = existing ?? 0;
        if (existing is null)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO assignment_versions (assignment_id, version, content_hash, manifest, statement, starter, package, created_at, publish_when_valid)
                SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM assignment_versions WHERE assignment_id = $1
                RETURNING version
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = package.AssignmentId });
            insert.Parameters.Add(new() { Value = package.ContentHash });
            insert.Parameters.Add(new() { Value = package.ManifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = package.Statement });
            insert.Parameters.Add(new() { Value = package.Starter });
            insert.Parameters.Add(new() { Value = package.PackageZip });
            insert.Parameters.Add(new() { Value = time.GetUtcNow() });
            insert.Parameters.Add(new() { Value = publish });
            version = (int)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        else if (publish && state is ValidationState.Pending or ValidationState.Running)
        {
            await using var later = new NpgsqlCommand(
                "UPDATE assignment_versions SET publish_when_valid = true WHERE assignment_id = $1 AND version = $2", connection, transaction);
            later.Parameters.Add(new() { Value = package.AssignmentId });
            later.Parameters.Add(new() { Value = version });
            await later.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A version students would see must have passed validation: an upload to a published
        // assignment becomes current once it validates (FinishValidationAsync), one to an
        // unpublished assignment at once, and ?publish=true publishes only a validated version now.
        var passed = state == ValidationState.Passed;
        bool wasPublished, published; // published: this version is what students see
        await using (var current = new NpgsqlCommand(
            """
            UPDATE assignments a
            SET current_version = CASE WHEN old.published AND NOT $4 THEN a.current_version ELSE $2 END,
                published = old.published OR ($3 AND $4),
                updated_at = $5
            FROM (SELECT published FROM assignments WHERE id = $1) old
            WHERE a.id = $1
            RETURNING old.published, a.published AND a.current_version = $2
            """, connection, transaction))
        {
            current.Parameters.Add(new() { Value = package.AssignmentId });
            current.Parameters.Add(new() { Value = version });
            current.Parameters.Add(new() { Value = publish });
            current.Parameters.Add(new() { Value = passed });
            current.Parameters.Add(new() { Value = time.GetUtcNow() });
            await using var r = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            (wasPublished, published) = (r.GetBoolean(0), r.GetBoolean(1));
        }
        if (publish && passed && !wasPublished)
        {
            await PublishedEventAsync(connection, transaction, package.AssignmentId, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        return new SavedVersion(version, existing is null, state, published, state == ValidationState.Pending && !hasJob);
    }

    public async Task<AssignmentRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectAssignment + " WHERE a.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<AssignmentGate?> GetGateAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT a.id, a.published, a.current_version, {AssignmentSettings.Columns} FROM assignments a WHERE a.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new AssignmentGate(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetInt32(2), AssignmentSettings.ReadFrom(r, 3))
            : null;
    }

    public async Task<IReadOnlyList<AssignmentRow>> ListAsync(bool publishedOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectAssignment + " WHERE a.published OR NOT $1 ORDER BY a.id");
        command.Parameters.Add(new() { Value = publishedOnly });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<AssignmentRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }
        return rows;
    }

    // Publishes the current version, or makes the given one current and publishes it, if it passed validation.
    public async Task<PublishOutcome> PublishAsync(string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The row lock makes "was it published before?" exact when two requests race, and keeps an
        // upload from changing the current version in between.
        bool wasPublished;
        int target;
        await using (var read = new NpgsqlCommand("SELECT published, coalesce($2, current_version) FROM assignments WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new() { Value = id });
            read.Parameters.Add(new() { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false) || r.IsDBNull(1))
            {
                return new PublishOutcome(PublishResult.UnknownAssignment, null);
            }
            (wasPublished, target) = (r.GetBoolean(0), r.GetInt32(1));
        }
        var validation = await GetValidationAsync(connection, transaction, id, target, cancellationToken).ConfigureAwait(false);
        if (validation is null)
        {
            return new PublishOutcome(PublishResult.UnknownVersion, null);
        }
        if (validation.State != ValidationState.Passed)
        {
            return new PublishOutcome(PublishResult.NotValidated, validation);
        }
        await using (var command = new NpgsqlCommand("UPDATE assignments SET published = true, current_version = $2, updated_at = $3 WHERE id = $1", connection, transaction))
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = target });
            command.Parameters.Add(new() { Value = time.GetUtcNow() });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!wasPublished)
        {
            await PublishedEventAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        return new PublishOutcome(PublishResult.Published, validation);
    }

    public async Task<bool> UnpublishAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE assignments SET published = false, updated_at = $2 WHERE id = $1 AND current_version IS NOT NULL");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    // Every version of an assignment (or of every assignment, for null), newest first, with its validation.
    public async Task<IReadOnlyList<VersionValidation>> ListVersionsAsync(string? id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectValidation + " WHERE assignment_id = $1 OR $1 IS NULL ORDER BY assignment_id, version DESC");
        command.Parameters.Add(new() { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<VersionValidation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadValidation(reader));
        }
        return rows;
    }

    public async Task<VersionValidation?> GetValidationAsync(string id, int version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetValidationAsync(connection, null, id, version, cancellationToken).ConfigureAwait(false);
    }

    // Pending versions no job holds: stored before validation existed, or left by a crash between the
    // upload's commit and its enqueue, or given back after the grader failed to validate them.
    public async Task<IReadOnlyList<(string AssignmentId, int Version)>> ListUnqueuedValidationsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT assignment_id, version FROM assignment_versions WHERE validation_state = 'Pending' AND validation_job_id IS NULL ORDER BY assignment_id, version");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1)));
        }
        return rows;
    }

    public async Task RecordValidationJobAsync(string id, int version, string jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE assignment_versions SET validation_job_id = $3 WHERE assignment_id = $1 AND version = $2 AND validation_state IN ('Pending', 'Running')");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = jobId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Pending/Running → Running, counting the attempt; null when the version already has its outcome.
    public async Task<int?> TryStartValidationAsync(string id, int version, string jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE assignment_versions SET validation_state = 'Running', validation_attempts = validation_attempts + 1, validation_job_id = $3
            WHERE assignment_id = $1 AND version = $2 AND validation_state IN ('Pending', 'Running')
            RETURNING validation_attempts
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = jobId });
        return (int?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    // The grader (not the package) failed past its attempts: back to Pending with no job, so that a
    // re-upload or the next start validates it again; the report says why it is still pending.
    public async Task GiveBackValidationAsync(string id, int version, string reportJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE assignment_versions SET validation_state = 'Pending', validation_job_id = NULL, validation_attempts = 0, validation_report = $3
            WHERE assignment_id = $1 AND version = $2 AND validation_state = 'Running'
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = reportJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Running → Passed | Failed, once. A passed version keeps the expected outputs it was validated
    // with (the ones grading uses), becomes current and is published when its upload asked for it,
    // and replaces an older current version of a published assignment. Null when already finished.
    public async Task<FinishedValidation?> FinishValidationAsync(string id, int version, bool passed, string reportJson, string? expectedJson, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM assignments WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new() { Value = id });
            await lockRow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        bool publishWhenValid;
        await using (var finish = new NpgsqlCommand(
            """
            UPDATE assignment_versions
            SET validation_state = $3, validation_report = $4, validated_at = $5,
                expected_outputs = CASE WHEN $6::jsonb IS NULL THEN expected_outputs ELSE $6::jsonb END
            WHERE assignment_id = $1 AND version = $2 AND validation_state = 'Running'
            RETURNING publish_when_valid
            """, connection, transaction))
        {
            finish.Parameters.Add(new() { Value = id });
            finish.Parameters.Add(new() { Value = version });
            finish.Parameters.Add(new() { Value = (passed ? ValidationState.Passed : ValidationState.Failed).ToString() });
            finish.Parameters.Add(new() { Value = reportJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            finish.Parameters.Add(new() { Value = time.GetUtcNow() });
            finish.Parameters.Add(new() { Value = (object?)expectedJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
            if (await finish.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not bool flag)
            {
                return null;
            }
            publishWhenValid = flag;
        }
        var wentLive = false;
        if (passed)
        {
            // A newer upload (current_version above this one) wins over this one.
            await using var advance = new NpgsqlCommand(
                """
                UPDATE assignments a SET current_version = $2, published = a.published OR $3, updated_at = $4
                FROM (SELECT published FROM assignments WHERE id = $1) old
                WHERE a.id = $1 AND (a.published OR $3) AND (a.current_version IS NULL OR a.current_version <= $2)
                RETURNING old.published
                """, connection, transaction);
            advance.Parameters.Add(new() { Value = id });
            advance.Parameters.Add(new() { Value = version });
            advance.Parameters.Add(new() { Value = publishWhenValid });
            advance.Parameters.Add(new() { Value = time.GetUtcNow() });
            if (await advance.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is bool wasPublished)
            {
                wentLive = true;
                if (!wasPublished)
                {
                    await PublishedEventAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        return new FinishedValidation(publishWhenValid, wentLive);
    }

    private const string SelectValidation =
        """
        SELECT assignment_id, version, content_hash, validation_state, validation_report::text, validated_at, created_at, publish_when_valid
        FROM assignment_versions
        """;

    private static async Task<VersionValidation?> GetValidationAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, int version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectValidation + " WHERE assignment_id = $1 AND version = $2", connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadValidation(reader) : null;
    }

    private static VersionValidation ReadValidation(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        r.GetString(2),
        Enum.Parse<ValidationState>(r.GetString(3)),
        r.IsDBNull(4) ? null : System.Text.Json.JsonSerializer.Deserialize<ValidationReportView>(r.GetString(4), Hosting.Json.Options),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
        r.GetFieldValue<DateTimeOffset>(6),
        r.GetBoolean(7));

    public async Task<bool> UpdateSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, AssignmentSettings settings, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE assignments SET opens_at = $2, due_at = $3, late_penalty_per_day = $4, hard_cutoff_at = $5,
                   max_submissions = $6, score_policy = $7, reveal_after_due = $8, updated_at = $9
            WHERE id = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = (object?)settings.OpensAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)settings.DueAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = settings.LatePenaltyPerDay });
        command.Parameters.Add(new() { Value = (object?)settings.HardCutoffAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)settings.MaxSubmissions ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = settings.ScorePolicy });
        command.Parameters.Add(new() { Value = settings.RevealAfterDue });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<StoredVersion?> GetVersionAsync(string id, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT content_hash, manifest::text, package, expected_outputs::text
            FROM assignment_versions WHERE assignment_id = $1 AND version = $2
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new StoredVersion(id, version, reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    // Keeps the first writer's outputs: they are a pure function of the package.
    public async Task SaveExpectedAsync(string id, int version, string expectedJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE assignment_versions SET expected_outputs = $3 WHERE assignment_id = $1 AND version = $2 AND expected_outputs IS NULL");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = expectedJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The settings as they stand in the caller's transaction; null for an unknown assignment.
    public async Task<AssignmentSettings?> GetSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"SELECT {AssignmentSettings.Columns} FROM assignments a WHERE a.id = $1", connection, transaction);
        read.Parameters.Add(new() { Value = id });
        await using var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? AssignmentSettings.ReadFrom(r, 0) : null;
    }

    private async Task PublishedEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string assignmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT title, current_version, opens_at, due_at FROM assignments WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = assignmentId });
        AssignmentPublishedData data;
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            data = new AssignmentPublishedData(assignmentId, r.GetString(0), r.GetInt32(1),
                r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3),
                webhooks.Link($"/api/assignments/{Uri.EscapeDataString(assignmentId)}"));
        }
        await webhooks.EnqueueAsync(connection, transaction, WebhookEventTypes.AssignmentPublished, data, cancellationToken).ConfigureAwait(false);
    }

    private static AssignmentRow Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetBoolean(2),
        r.IsDBNull(3) ? null : r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        AssignmentSettings.ReadFrom(r, 9),
        r.GetFieldValue<DateTimeOffset>(8));
}
