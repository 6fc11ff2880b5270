using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Webhooks;

public sealed record EndpointRow(
    Guid Id, string Url, string Description, string[] EventTypes, byte[] Secret, byte[]? PreviousSecret, DateTimeOffset? PreviousSecretUntil,
    int FailureStreak, DateTimeOffset? FailingSince, DateTimeOffset? DisabledAt, string? DisabledReason, DateTimeOffset CreatedAt);

public sealed record DeliveryRow(
    Guid Id, Guid EndpointId, string MessageId, string EventType, string Payload, string Status, int Attempts, int SeriesAttempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

public sealed record AttemptRow(Guid DeliveryId, int Attempt, DateTimeOffset StartedAt, int? StatusCode, double LatencyMs, string? Error);

// Endpoints, deliveries and the attempt log.
public sealed class WebhookStore(NpgsqlDataSource dataSource, SecretBox secrets, TimeProvider time)
{
    private const string SelectEndpoint =
        """
        SELECT id, url, description, event_types, secret, previous_secret, previous_secret_until, failure_streak, failing_since,
               disabled_at, disabled_reason, created_at
        FROM webhook_endpoints
        """;

    private const string SelectDelivery =
        """
        SELECT id, endpoint_id, message_id, event_type, payload, status, attempts, series_attempts, next_attempt_at, last_error, created_at, delivered_at
        FROM webhook_deliveries
        """;

    // Deliveries still to be sent (due or waiting for a retry), to endpoints that are enabled.
    public async Task<long> CountBacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.status = 'Pending' AND e.disabled_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // The plain secret is returned here and by rotation only.
    public async Task<(EndpointRow Row, string Secret)> CreateAsync(string url, string description, string[] eventTypes, Guid createdBy, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow();
        var row = new EndpointRow(Guid.CreateVersion7(), url, description, eventTypes, secrets.Seal(secret), null, null, 0, null, null, null, now);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO webhook_endpoints (id, url, description, event_types, secret, created_by, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            """);
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = url });
        command.Parameters.Add(new() { Value = description });
        command.Parameters.Add(new() { Value = eventTypes });
        command.Parameters.Add(new() { Value = row.Secret });
        command.Parameters.Add(new() { Value = createdBy });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (row, secret);
    }

    public async Task<EndpointRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectEndpoint + " WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEndpoint(reader) : null;
    }

    public async Task<IReadOnlyList<EndpointRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectEndpoint + " ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<EndpointRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadEndpoint(reader));
        }
        return rows;
    }

    // Changes what is given; enabling clears the failure streak and the reason it was disabled.
    public async Task<bool> UpdateAsync(Guid id, string? url, string? description, string[]? eventTypes, bool? enabled, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_endpoints SET
                url = coalesce($2, url),
                description = coalesce($3, description),
                event_types = coalesce($4, event_types),
                disabled_at = CASE WHEN $5 IS NULL THEN disabled_at WHEN $5 THEN NULL ELSE coalesce(disabled_at, $6) END,
                disabled_reason = CASE WHEN $5 IS NULL THEN disabled_reason WHEN $5 THEN NULL ELSE coalesce(disabled_reason, 'Disabled by an instructor.') END,
                failure_streak = CASE WHEN $5 THEN 0 ELSE failure_streak END,
                failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END,
                updated_at = $6
            WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = (object?)url ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)eventTypes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)enabled ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    // A new secret; the current one keeps signing as a second signature until overlap has passed.
    public async Task<string?> RotateAsync(Guid id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $3, secret = $2, updated_at = $4
            WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = secrets.Seal(secret) });
        command.Parameters.Add(new() { Value = time.GetUtcNow() + overlap });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? secret : null;
    }

    // The keys that sign now: the current one, and the previous one while its overlap lasts.
    public IReadOnlyList<byte[]> SigningKeys(EndpointRow endpoint)
    {
        var keys = new List<byte[]> { WebhookSignature.KeyOf(secrets.Open(endpoint.Secret)) };
        if (endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretUntil > time.GetUtcNow())
        {
            keys.Add(WebhookSignature.KeyOf(secrets.Open(previous)));
        }
        return keys;
    }

    public async Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(Guid endpointId, string? status, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SelectDelivery + " WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id LIMIT $3");
        command.Parameters.Add(new() { Value = endpointId });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<DeliveryRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadDelivery(reader));
        }
        return rows;
    }

    public async Task<IReadOnlyList<AttemptRow>> ListAttemptsAsync(IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT delivery_id, attempt, started_at, status_code, latency_ms, error FROM webhook_attempts WHERE delivery_id = ANY ($1) ORDER BY delivery_id, attempt");
        command.Parameters.Add(new() { Value = deliveryIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<AttemptRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new AttemptRow(reader.GetGuid(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return rows;
    }

    // Puts a delivery back on the queue now, at the start of the retry schedule, keeping its webhook-id.
    public async Task<bool> RedeliverAsync(Guid endpointId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_deliveries SET status = 'Pending', series_attempts = 0, next_attempt_at = $3, locked_until = NULL
            WHERE id = $2 AND endpoint_id = $1
            """);
        command.Parameters.Add(new() { Value = endpointId });
        command.Parameters.Add(new() { Value = deliveryId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    internal static EndpointRow ReadEndpoint(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.GetFieldValue<byte[]>(4),
        r.IsDBNull(5) ? null : r.GetFieldValue<byte[]>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
        r.GetInt32(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.GetFieldValue<DateTimeOffset>(11));

    internal static DeliveryRow ReadDelivery(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6), r.GetInt32(7),
        r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetFieldValue<DateTimeOffset>(10),
        r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11));
}
