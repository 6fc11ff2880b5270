using System.Security.Cryptography;
using Grader.Api.Auth;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Users;

public sealed record UserRow(Guid Id, string ExternalId, string DisplayName, string Role, DateTimeOffset CreatedAt);

// A student as the roster shows them: last activity is the latest submission or sign-in by link.
public sealed record RosterRow(UserRow User, string Email, DateTimeOffset? LastActivity, int Submissions, int ActiveKeys, int OpenLinks);

public sealed record RosterEntry(string ExternalId, string DisplayName, string Email);

// What an import changed; lines whose student was already on the roster as they are count as unchanged.
public sealed record RosterImport(int Added, int Updated, int Unchanged);

public sealed record KeyRow(Guid Id, Guid UserId, string Prefix, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed class UserStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    // The bounds of the columns (migrations 0001 and 0006).
    public const int MaxExternalId = 200;
    public const int MaxDisplayName = 200;
    public const int MaxKeyName = 200;
    // Migration 0009.
    public const int MaxEmail = 320;

    // Null when the external id is taken.
    public Task<UserRow?> CreateAsync(string externalId, string displayName, string role, CancellationToken cancellationToken) =>
        CreateAsync(externalId, displayName, role, "", cancellationToken);

    public async Task<UserRow?> CreateAsync(string externalId, string displayName, string role, string email, CancellationToken cancellationToken)
    {
        var user = new UserRow(Guid.CreateVersion7(), externalId, displayName, role, time.GetUtcNow());
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO users (id, external_id, display_name, role, created_at, email) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (external_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = externalId });
        command.Parameters.Add(new() { Value = displayName });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = user.CreatedAt });
        command.Parameters.Add(new() { Value = email });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? user : null;
    }

    public async Task<UserRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, external_id, display_name, role, created_at FROM users WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadUser(reader) : null;
    }

    public async Task<UserRow?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, external_id, display_name, role, created_at FROM users WHERE external_id = $1");
        command.Parameters.Add(new() { Value = externalId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadUser(reader) : null;
    }

    /// <summary>The owner of a live (unrevoked) key, or null for a malformed, unknown or revoked one.</summary>
    public async Task<UserRow?> FindByApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeys.TryParsePrefix(key, out var prefix))
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.id, u.external_id, u.display_name, u.role, u.created_at, k.key_hash
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.prefix = $1 AND k.revoked_at IS NULL
            """);
        command.Parameters.Add(new() { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            && CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(5), ApiKeys.Hash(key))
            ? ReadUser(reader)
            : null;
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, external_id, display_name, role, created_at FROM users ORDER BY external_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<UserRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(ReadUser(reader));
        }
        return users;
    }

    // Students only, or the one student asked for.
    public async Task<IReadOnlyList<RosterRow>> ListRosterAsync(Guid? studentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT u.id, u.external_id, u.display_name, u.role, u.created_at, u.email,
                   greatest(s.last_at, l.last_at), coalesce(s.n, 0)::int,
                   (SELECT count(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL)::int,
                   (SELECT count(*) FROM sign_in_links o WHERE o.user_id = u.id AND o.used_at IS NULL AND o.revoked_at IS NULL AND o.expires_at > $2)::int
            FROM users u
            LEFT JOIN LATERAL (SELECT max(submitted_at) AS last_at, count(*) AS n FROM submissions WHERE student_id = u.id) s ON true
            LEFT JOIN LATERAL (SELECT max(used_at) AS last_at FROM sign_in_links WHERE user_id = u.id) l ON true
            WHERE u.role = 'student' AND ($1::uuid IS NULL OR u.id = $1)
            ORDER BY u.external_id
            """);
        command.Parameters.Add(new() { Value = (object?)studentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<RosterRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RosterRow(ReadUser(reader), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)));
        }
        return rows;
    }

    // The external ids among these that belong to instructors: a roster file must not turn one into a student.
    public async Task<IReadOnlyList<string>> FindInstructorsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT external_id FROM users WHERE role = 'instructor' AND external_id = ANY ($1)");
        command.Parameters.Add(new() { Value = externalIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    // Adds new students and brings known ones' names and emails up to date, all in one transaction:
    // importing the same file again changes nothing. Instructors' rows are never touched.
    public async Task<RosterImport> ImportAsync(IReadOnlyList<RosterEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int added = 0, updated = 0;
        var now = time.GetUtcNow();
        foreach (var entry in entries)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO users (id, external_id, display_name, email, role, created_at) VALUES ($1, $2, $3, $4, 'student', $5)
                ON CONFLICT (external_id) DO UPDATE SET display_name = excluded.display_name, email = excluded.email
                    WHERE users.role = 'student' AND (users.display_name, users.email) IS DISTINCT FROM (excluded.display_name, excluded.email)
                RETURNING xmax = 0
                """, connection, transaction);
            command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
            command.Parameters.Add(new() { Value = entry.ExternalId });
            command.Parameters.Add(new() { Value = entry.DisplayName });
            command.Parameters.Add(new() { Value = entry.Email });
            command.Parameters.Add(new() { Value = now });
            switch (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))
            {
                case true:
                    added++;
                    break;
                case false:
                    updated++;
                    break;
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RosterImport(added, updated, entries.Count - added - updated);
    }

    public async Task<bool> AnyInstructorAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'instructor')");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // The plain key is returned here and nowhere else; only its hash is kept.
    public async Task<(KeyRow Row, string Key)> CreateKeyAsync(Guid userId, string name, CancellationToken cancellationToken)
    {
        var key = ApiKeys.Generate();
        var row = new KeyRow(Guid.CreateVersion7(), userId, key.Prefix, name, time.GetUtcNow(), null);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_keys (id, user_id, prefix, key_hash, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = key.Prefix });
        command.Parameters.Add(new() { Value = key.Hash });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = row.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (row, key.Key);
    }

    public async Task<IReadOnlyList<KeyRow>> ListKeysAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, user_id, prefix, name, created_at, revoked_at FROM api_keys WHERE user_id = $1 ORDER BY created_at");
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<KeyRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new KeyRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return keys;
    }

    // False when no such key exists; revoking twice is not an error.
    public async Task<bool> RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1");
        command.Parameters.Add(new() { Value = keyId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static UserRow ReadUser(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
}
