using System.Diagnostics;
using System.Text.Json.Nodes;
using Grader.Api.Assignments;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Lti;

public sealed record ScoreDeliveryRow(Guid Id, Guid LinkId, Guid UserId, string Sub, string Score, string Status, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

// Posts queued scores to the platforms' gradebooks on worker nodes. Like the webhook dispatcher:
// one row claimed at a time with FOR UPDATE SKIP LOCKED and a lease, every attempt logged, retries
// on a schedule; at-least-once, and harmless when repeated because a score carries its timestamp.
public sealed partial class ScoreDispatcher(
    NpgsqlDataSource dataSource, LtiStore store, PlatformServices services, AssignmentStore assignments,
    IOptions<LtiOptions> options, TimeProvider time, ILogger<ScoreDispatcher> logger) : BackgroundService
{
    private TimeSpan Lease => (options.Value.AttemptTimeout * 4) + TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ClaimAsync(stoppingToken).ConfigureAwait(false) is { } claimed)
                {
                    await DeliverAsync(claimed, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogQueueUnavailable(e);
                await Task.Delay(options.Value.PollInterval * 5, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ScoreDeliveryRow?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            """
            WITH next AS (
                SELECT id FROM lti_score_deliveries
                WHERE status = 'Pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED
            )
            UPDATE lti_score_deliveries d SET locked_until = $2 FROM next WHERE d.id = next.id
            RETURNING d.id, d.link_id, d.user_id, d.sub, d.score::text, d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.delivered_at
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + Lease });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private async Task DeliverAsync(ScoreDeliveryRow delivery, CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null;
        try
        {
            var link = await store.GetLinkAsync(delivery.LinkId, stoppingToken).ConfigureAwait(false)
                ?? throw new PlatformException("The resource link is gone.");
            var platform = await store.GetPlatformAsync(link.PlatformId, stoppingToken).ConfigureAwait(false)
                ?? throw new PlatformException("The platform registration is gone.");
            var lineItem = link.LineItemUrl;
            if (lineItem is null)
            {
                var assignment = await assignments.GetAsync(link.AssignmentId, stoppingToken).ConfigureAwait(false);
                var maximum = JsonNode.Parse(delivery.Score)?["scoreMaximum"]?.GetValue<double>() ?? 0;
                lineItem = await services.FindOrCreateLineItemAsync(platform, link, assignment?.Title ?? link.AssignmentId, maximum, stoppingToken).ConfigureAwait(false);
                await store.SetLineItemAsync(link.Id, lineItem, stoppingToken).ConfigureAwait(false);
            }
            var score = JsonNode.Parse(delivery.Score)!.AsObject();
            score["userId"] = delivery.Sub;
            await services.PostScoreAsync(platform, lineItem, score, stoppingToken).ConfigureAwait(false);
            statusCode = 200;
        }
        catch (PlatformException e)
        {
            statusCode = e.StatusCode;
            error = e.Message;
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"no answer within {options.Value.AttemptTimeout.TotalSeconds:0.#} s";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            error = "this node cannot decrypt the tool's signing key (Webhooks:EncryptionKey differs between nodes)";
        }
        await RecordAsync(delivery, started, statusCode, clock.Elapsed.TotalMilliseconds, error).ConfigureAwait(false);
    }

    private async Task RecordAsync(ScoreDeliveryRow delivery, DateTimeOffset started, int? statusCode, double latencyMs, string? error)
    {
        var now = time.GetUtcNow();
        var schedule = options.Value.Schedule;
        bool delivered = error is null;
        bool exhausted = !delivered && delivery.Attempts + 1 > schedule.Count;
        var next = delivered || exhausted ? now : now + schedule[delivery.Attempts];
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand(
            """
            UPDATE lti_score_deliveries SET attempts = attempts + 1, locked_until = NULL, status = $2, next_attempt_at = $3, last_error = $4,
                delivered_at = CASE WHEN $2 = 'Delivered' THEN $5 ELSE delivered_at END
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = delivery.Id });
            update.Parameters.Add(new() { Value = delivered ? "Delivered" : exhausted ? "Failed" : "Pending" });
            update.Parameters.Add(new() { Value = next });
            update.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = now });
            await update.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await using (var log = new NpgsqlCommand(
            "INSERT INTO lti_score_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error) VALUES ($1, $2, $3, $4, $5, $6)",
            connection, transaction))
        {
            log.Parameters.Add(new() { Value = delivery.Id });
            log.Parameters.Add(new() { Value = delivery.Attempts + 1 });
            log.Parameters.Add(new() { Value = started });
            log.Parameters.Add(new() { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            log.Parameters.Add(new() { Value = latencyMs });
            log.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await log.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        if (delivered)
        {
            LogDelivered(delivery.Id, delivery.LinkId, delivery.Attempts + 1, latencyMs);
        }
        else
        {
            LogFailed(delivery.Id, delivery.LinkId, delivery.Attempts + 1, error!, exhausted);
        }
    }

    internal static ScoreDeliveryRow Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6),
        r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10));

    [LoggerMessage(LogLevel.Information, "LTI score {DeliveryId} for link {LinkId}: attempt {Attempt} delivered in {LatencyMs:F0} ms")]
    private partial void LogDelivered(Guid deliveryId, Guid linkId, int attempt, double latencyMs);

    [LoggerMessage(LogLevel.Warning, "LTI score {DeliveryId} for link {LinkId}: attempt {Attempt} failed: {Error}; retries exhausted: {Exhausted}")]
    private partial void LogFailed(Guid deliveryId, Guid linkId, int attempt, string error, bool exhausted);

    [LoggerMessage(LogLevel.Warning, "The LTI score queue could not be read; trying again shortly")]
    private partial void LogQueueUnavailable(Exception e);
}
