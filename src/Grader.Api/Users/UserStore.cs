using System.Security.Cryptography;
using Grader.Api.Auth;
using Npgsql;

namespace Grader.Api.Users;

public sealed record UserRow(Guid Id, string ExternalId, string DisplayName, string Role, DateTimeOffset CreatedAt);

public sealed record KeyRow(Guid Id, Guid UserId, string Prefix, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed class UserStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    // The bounds of the columns (migrations 0001 and 0006).
    public const int MaxExternalId = 200;
    public const int MaxDisplayName = 200;
    public const int MaxKeyName = 200;

    // Null when the external id is taken.
    public async Task<UserRow?> CreateAsync(string externalId, string displayName, string role, CancellationToken cancellationToken)
    {
        var user = new UserRow(Guid.CreateVersion7(), externalId, displayName, role, time.GetUtcNow());
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO users (id, external_id, display_name, role, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (external_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = externalId });
        command.Parameters.Add(new() { Value = displayName });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = user.CreatedAt });
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
