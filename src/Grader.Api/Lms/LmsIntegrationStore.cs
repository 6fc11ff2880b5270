using Grader.Api.Webhooks;
using Npgsql;

namespace Grader.Api.Lms;

public sealed record IntegrationRow(Guid Id, string Name, byte[] Secret, byte[]? PreviousSecret, DateTimeOffset? PreviousSecretUntil,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

// LMS integrations: each has its own signing secret for the requests it sends us.
public sealed class LmsIntegrationStore(NpgsqlDataSource dataSource, SecretBox secrets, TimeProvider time)
{
    private const string Select = "SELECT id, name, secret, previous_secret, previous_secret_until, created_at, revoked_at FROM lms_integrations";

    public async Task<(IntegrationRow Row, string Secret)> CreateAsync(string name, Guid createdBy, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        var row = new IntegrationRow(Guid.CreateVersion7(), name, secrets.Seal(secret), null, null, time.GetUtcNow(), null);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO lms_integrations (id, name, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = row.Secret });
        command.Parameters.Add(new() { Value = createdBy });
        command.Parameters.Add(new() { Value = row.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (row, secret);
    }

    public async Task<IReadOnlyList<IntegrationRow>> ListAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Select + " WHERE revoked_at IS NULL OR NOT $1 ORDER BY created_at");
        command.Parameters.Add(new() { Value = activeOnly });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<IntegrationRow>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new IntegrationRow(r.GetGuid(0), r.GetString(1), r.GetFieldValue<byte[]>(2), r.IsDBNull(3) ? null : r.GetFieldValue<byte[]>(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6)));
        }
        return rows;
    }

    public async Task<string?> RotateAsync(Guid id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var command = dataSource.CreateCommand(
            "UPDATE lms_integrations SET previous_secret = secret, previous_secret_until = $3, secret = $2 WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = secrets.Seal(secret) });
        command.Parameters.Add(new() { Value = time.GetUtcNow() + overlap });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? secret : null;
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE lms_integrations SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    // The active integration whose current (or still overlapping previous) secret made the signature, if any.
    public async Task<IntegrationRow?> FindSignerAsync(string messageId, long timestamp, byte[] body, string signatureHeader, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var integration in await ListAsync(activeOnly: true, cancellationToken).ConfigureAwait(false))
        {
            if (WebhookSignature.Matches(WebhookSignature.KeyOf(secrets.Open(integration.Secret)), messageId, timestamp, body, signatureHeader)
                || (integration.PreviousSecret is { } previous && integration.PreviousSecretUntil > now
                    && WebhookSignature.Matches(WebhookSignature.KeyOf(secrets.Open(previous)), messageId, timestamp, body, signatureHeader)))
            {
                return integration;
            }
        }
        return null;
    }

    public async Task<(string BodySha256, Guid SubmissionId)?> FindMessageAsync(Guid integrationId, string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT body_sha256, submission_id FROM lms_messages WHERE integration_id = $1 AND message_id = $2");
        command.Parameters.Add(new() { Value = integrationId });
        command.Parameters.Add(new() { Value = messageId });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? (r.GetString(0), r.GetGuid(1)) : null;
    }

    public async Task RecordMessageAsync(Guid integrationId, string messageId, string bodySha256, Guid submissionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO lms_messages (integration_id, message_id, body_sha256, submission_id, received_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (integration_id, message_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = integrationId });
        command.Parameters.Add(new() { Value = messageId });
        command.Parameters.Add(new() { Value = bodySha256 });
        command.Parameters.Add(new() { Value = submissionId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The user with this external id, created as a student on first sight.
    public async Task<(Guid Id, string Role)> FindOrCreateStudentAsync(string externalId, string displayName, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await TryFindOrCreateAsync(externalId, displayName, cancellationToken).ConfigureAwait(false) is { } user)
            {
                return user;
            }
            if (attempt == 2)
            {
                throw new InvalidOperationException($"User '{externalId}' could be neither created nor found.");
            }
        }
    }

    private async Task<(Guid Id, string Role)?> TryFindOrCreateAsync(string externalId, string displayName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH created AS (
                INSERT INTO users (id, external_id, display_name, role, created_at) VALUES ($1, $2, $3, 'student', $4)
                ON CONFLICT (external_id) DO NOTHING
                RETURNING id, role
            )
            SELECT id, role FROM created
            UNION ALL
            SELECT id, role FROM users WHERE external_id = $2
            LIMIT 1
            """);
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = externalId });
        command.Parameters.Add(new() { Value = displayName });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Created by a concurrent request after this statement's snapshot: the next try sees it.
            return null;
        }
        return (r.GetGuid(0), r.GetString(1));
    }
}
