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

// A package ready to store: what the engine loaded, flattened to what the tables hold.
public sealed record PackageVersion(string AssignmentId, string Title, string ContentHash, string ManifestJson, string Statement, string Starter, byte[] PackageZip);

public sealed record SavedVersion(int Version, bool Created);

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

        int? existing;
        await using (var find = new NpgsqlCommand("SELECT version FROM assignment_versions WHERE assignment_id = $1 AND content_hash = $2", connection, transaction))
        {
            find.Parameters.Add(new() { Value = package.AssignmentId });
            find.Parameters.Add(new() { Value = package.ContentHash });
            existing = (int?)await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = existing ?? 0;
        if (existing is null)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO assignment_versions (assignment_id, version, content_hash, manifest, statement, starter, package, created_at)
                SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM assignment_versions WHERE assignment_id = $1
                RETURNING version
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = package.AssignmentId });
            insert.Parameters.Add(new() { Value = package.ContentHash });
            insert.Parameters.Add(new() { Value = package.ManifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = package.Statement });
            insert.Parameters.Add(new() { Value = package.Starter });
            insert.Parameters.Add(new() { Value = package.PackageZip });
            insert.Parameters.Add(new() { Value = time.GetUtcNow() });
            version = (int)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        bool wasPublished;
        await using (var current = new NpgsqlCommand(
            """
            UPDATE assignments a SET current_version = $2, published = a.published OR $3, updated_at = $4
            FROM (SELECT published FROM assignments WHERE id = $1) old
            WHERE a.id = $1
            RETURNING old.published
            """, connection, transaction))
        {
            current.Parameters.Add(new() { Value = package.AssignmentId });
            current.Parameters.Add(new() { Value = version });
            current.Parameters.Add(new() { Value = publish });
            current.Parameters.Add(new() { Value = time.GetUtcNow() });
            wasPublished = (bool)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (publish && !wasPublished)
        {
            await PublishedEventAsync(connection, transaction, package.AssignmentId, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        return new SavedVersion(version, existing is null);
    }

    public async Task<AssignmentRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectAssignment + " WHERE a.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
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

    public async Task<bool> SetPublishedAsync(string id, bool published, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The row lock makes "was it published before?" exact when two requests race.
        await using var command = new NpgsqlCommand(
            """
            UPDATE assignments a SET published = $2, updated_at = $3
            FROM (SELECT published FROM assignments WHERE id = $1 AND current_version IS NOT NULL FOR UPDATE) old
            WHERE a.id = $1
            RETURNING old.published
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = published });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not bool wasPublished)
        {
            return false;
        }
        if (published && !wasPublished)
        {
            await PublishedEventAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        webhooks.Wake();
        return true;
    }

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
