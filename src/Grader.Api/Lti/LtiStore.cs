using System.Security.Cryptography;
using System.Text;
using Grader.Api.Users;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Lti;

public sealed record PlatformRow(
    Guid Id, string Name, string Issuer, string ClientId, string[] DeploymentIds, string AuthUrl, string TokenUrl, string JwksUrl, DateTimeOffset CreatedAt);

public sealed record LoginRow(string State, string Nonce, Guid PlatformId, DateTimeOffset ExpiresAt);

public sealed record LinkRow(
    Guid Id, Guid PlatformId, string DeploymentId, string ContextId, string ResourceLinkId, string AssignmentId,
    string? LineItemsUrl, string? LineItemUrl, string? MembershipsUrl, string[] AgsScopes, DateTimeOffset UpdatedAt);

// What a launch says about the link it came from.
public sealed record LaunchedLink(
    string DeploymentId, string ContextId, string ResourceLinkId, string AssignmentId, string? LineItemsUrl, string? LineItemUrl,
    string? MembershipsUrl, string[] AgsScopes);

// Registered platforms, logins in progress, platform users, resource links and course members.
public sealed class LtiStore(NpgsqlDataSource dataSource, UserStore users, TimeProvider time)
{
    private const string SelectPlatform = "SELECT id, name, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, created_at FROM lti_platforms";

    private const string SelectLink =
        """
        SELECT id, platform_id, deployment_id, context_id, resource_link_id, assignment_id, lineitems_url, lineitem_url, memberships_url,
               ags_scopes, updated_at
        FROM lti_links
        """;

    // Null when this issuer and client id are registered already.
    public async Task<PlatformRow?> CreatePlatformAsync(string name, string issuer, string clientId, string[] deploymentIds,
        string authUrl, string tokenUrl, string jwksUrl, Guid createdBy, CancellationToken cancellationToken)
    {
        var row = new PlatformRow(Guid.CreateVersion7(), name, issuer, clientId, deploymentIds, authUrl, tokenUrl, jwksUrl, time.GetUtcNow());
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO lti_platforms (id, name, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (issuer, client_id) DO NOTHING
            """);
        foreach (var value in new object[] { row.Id, name, issuer, clientId, deploymentIds, authUrl, tokenUrl, jwksUrl, createdBy, row.CreatedAt })
        {
            command.Parameters.Add(new() { Value = value });
        }
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? row : null;
    }

    public async Task<IReadOnlyList<PlatformRow>> ListPlatformsAsync(CancellationToken cancellationToken) =>
        await ReadPlatformsAsync(SelectPlatform + " ORDER BY created_at", [], cancellationToken).ConfigureAwait(false);

    public async Task<PlatformRow?> GetPlatformAsync(Guid id, CancellationToken cancellationToken) =>
        (await ReadPlatformsAsync(SelectPlatform + " WHERE id = $1", [id], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    // The registrations of an issuer, narrowed to one client id when the platform names it.
    public async Task<IReadOnlyList<PlatformRow>> FindPlatformsAsync(string issuer, string? clientId, CancellationToken cancellationToken) =>
        await ReadPlatformsAsync(SelectPlatform + " WHERE issuer = $1 AND ($2::text IS NULL OR client_id = $2)",
            [issuer, (object?)clientId ?? DBNull.Value], cancellationToken).ConfigureAwait(false);

    public async Task<bool> DeletePlatformAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM lti_platforms WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<LoginRow> CreateLoginAsync(Guid platformId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var login = new LoginRow(RandomToken(), RandomToken(), platformId, now + lifetime);
        await using var command = dataSource.CreateCommand(
            """
            WITH swept AS (DELETE FROM lti_logins WHERE expires_at < $5)
            INSERT INTO lti_logins (state, nonce, platform_id, expires_at) VALUES ($1, $2, $3, $4)
            """);
        command.Parameters.Add(new() { Value = login.State });
        command.Parameters.Add(new() { Value = login.Nonce });
        command.Parameters.Add(new() { Value = platformId });
        command.Parameters.Add(new() { Value = login.ExpiresAt });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return login;
    }

    // Uses the login up, whatever the launch then turns out to be: a state and its nonce work once.
    public async Task<LoginRow?> ConsumeLoginAsync(string state, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM lti_logins WHERE state = $1 RETURNING state, nonce, platform_id, expires_at");
        command.Parameters.Add(new() { Value = state });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var row = new LoginRow(reader.GetString(0), reader.GetString(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3));
        return row.ExpiresAt < time.GetUtcNow() ? null : row;
    }

    // The Grader user of a platform's sub, created on first sight with the role the launch gave it.
    public async Task<UserRow> EnsureUserAsync(PlatformRow platform, string sub, string displayName, string role, CancellationToken cancellationToken)
    {
        if (await FindUserAsync(platform.Id, sub, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }
        var externalId = ExternalId(platform, sub);
        var user = await users.CreateAsync(externalId, displayName, role, cancellationToken).ConfigureAwait(false)
            ?? await users.FindByExternalIdAsync(externalId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"User {externalId} could neither be created nor found.");
        await using var command = dataSource.CreateCommand(
            "INSERT INTO lti_users (platform_id, sub, user_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (platform_id, sub) DO NOTHING");
        command.Parameters.Add(new() { Value = platform.Id });
        command.Parameters.Add(new() { Value = sub });
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Two first launches at once: whichever mapping was written wins for both.
        return await FindUserAsync(platform.Id, sub, cancellationToken).ConfigureAwait(false) ?? user;
    }

    private async Task<UserRow?> FindUserAsync(Guid platformId, string sub, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id FROM lti_users WHERE platform_id = $1 AND sub = $2");
        command.Parameters.Add(new() { Value = platformId });
        command.Parameters.Add(new() { Value = sub });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid id
            ? await users.FindAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
    }

    // Readable where it fits the column, a digest where the platform's sub is long.
    private static string ExternalId(PlatformRow platform, string sub)
    {
        var readable = $"lti:{platform.Id.ToString("N")[..8]}:{sub}";
        return readable.Length <= UserStore.MaxExternalId
            ? readable
            : $"lti:{platform.Id.ToString("N")[..8]}:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sub)))}";
    }

    // Records (or refreshes) the link a launch came from, and the user as a member of its course.
    public async Task<LinkRow> RecordLaunchAsync(PlatformRow platform, LaunchedLink link, Guid userId, string[] roles, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        LinkRow row;
        // A later launch without a service claim keeps what an earlier one announced.
        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO lti_links (id, platform_id, deployment_id, context_id, resource_link_id, assignment_id, lineitems_url, lineitem_url,
                                   memberships_url, ags_scopes, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (platform_id, deployment_id, resource_link_id) DO UPDATE SET
                context_id = excluded.context_id,
                assignment_id = excluded.assignment_id,
                lineitems_url = coalesce(excluded.lineitems_url, lti_links.lineitems_url),
                lineitem_url = CASE WHEN excluded.assignment_id = lti_links.assignment_id
                                    THEN coalesce(excluded.lineitem_url, lti_links.lineitem_url) ELSE excluded.lineitem_url END,
                memberships_url = coalesce(excluded.memberships_url, lti_links.memberships_url),
                ags_scopes = CASE WHEN cardinality(excluded.ags_scopes) > 0 THEN excluded.ags_scopes ELSE lti_links.ags_scopes END,
                updated_at = excluded.updated_at
            RETURNING id, platform_id, deployment_id, context_id, resource_link_id, assignment_id, lineitems_url, lineitem_url, memberships_url,
                      ags_scopes, updated_at
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
            upsert.Parameters.Add(new() { Value = platform.Id });
            upsert.Parameters.Add(new() { Value = link.DeploymentId });
            upsert.Parameters.Add(new() { Value = link.ContextId });
            upsert.Parameters.Add(new() { Value = link.ResourceLinkId });
            upsert.Parameters.Add(new() { Value = link.AssignmentId });
            upsert.Parameters.Add(Text(link.LineItemsUrl));
            upsert.Parameters.Add(Text(link.LineItemUrl));
            upsert.Parameters.Add(Text(link.MembershipsUrl));
            upsert.Parameters.Add(new() { Value = link.AgsScopes });
            upsert.Parameters.Add(new() { Value = now });
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            row = ReadLink(reader);
        }
        await UpsertMemberAsync(connection, transaction, platform.Id, link.ContextId, userId, roles, "Active", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row;
    }

    public async Task UpsertMemberAsync(Guid platformId, string contextId, Guid userId, string[] roles, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await UpsertMemberAsync(connection, null, platformId, contextId, userId, roles, status, cancellationToken).ConfigureAwait(false);
    }

    private async Task UpsertMemberAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid platformId, string contextId, Guid userId,
        string[] roles, string status, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO lti_members (platform_id, context_id, user_id, roles, status, synced_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (platform_id, context_id, user_id) DO UPDATE SET roles = excluded.roles, status = excluded.status, synced_at = excluded.synced_at
            """, connection, transaction);
        command.Parameters.Add(new() { Value = platformId });
        command.Parameters.Add(new() { Value = contextId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = roles });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<LinkRow?> GetLinkAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectLink + " WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLink(reader) : null;
    }

    public async Task<IReadOnlyList<LinkRow>> ListLinksAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectLink + " ORDER BY updated_at DESC");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<LinkRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadLink(reader));
        }
        return rows;
    }

    // Remembered once found or created, so scores after the first go straight to it.
    public async Task SetLineItemAsync(Guid linkId, string lineItemUrl, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE lti_links SET lineitem_url = $2 WHERE id = $1");
        command.Parameters.Add(new() { Value = linkId });
        command.Parameters.Add(new() { Value = lineItemUrl });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private async Task<List<PlatformRow>> ReadPlatformsAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p is DBNull ? new NpgsqlParameter { Value = p, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = p });
        }
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<PlatformRow>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new PlatformRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetString(5),
                r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)));
        }
        return rows;
    }

    private static LinkRow ReadLink(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
        r.GetFieldValue<string[]>(9), r.GetFieldValue<DateTimeOffset>(10));
}
