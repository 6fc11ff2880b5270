using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Grader.Api.Webhooks;

// Sends due deliveries. The queue is the webhook_deliveries table: a worker claims one row at a
// time with FOR UPDATE SKIP LOCKED and a lease (a crashed worker's claim runs out and another
// node takes it), so delivery is at-least-once and receivers dedupe by webhook-id. It has its own
// bounded set of senders, apart from the grading threads: a slow or dead receiver never holds up
// grading.
public sealed partial class WebhookDispatcher : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly WebhookStore _store;
    private readonly WebhookOutbox _outbox;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}";

    public WebhookDispatcher(NpgsqlDataSource dataSource, WebhookStore store, WebhookOutbox outbox, DestinationGuard guard,
        IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _dataSource = dataSource;
        _store = store;
        _outbox = outbox;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // Every connection goes through the guard; a proxy or a redirect would get around it.
            ConnectCallback = guard.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = _options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Grader-Webhooks", "1"));
    }

    private TimeSpan Lease => _options.AttemptTimeout + TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => SendLoopAsync(stoppingToken), stoppingToken)));

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ClaimAsync(stoppingToken).ConfigureAwait(false) is { } claimed)
                {
                    await DeliverAsync(claimed.Delivery, claimed.Endpoint, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await _outbox.WaitForWakeAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogQueueUnavailable(e);
                await Task.Delay(_options.PollInterval * 5, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(DeliveryRow Delivery, EndpointRow Endpoint)?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var command = _dataSource.CreateCommand(
            """
            WITH next AS (
                SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.status = 'Pending' AND d.next_attempt_at <= $1 AND (d.locked_until IS NULL OR d.locked_until < $1)
                  AND e.disabled_at IS NULL
                ORDER BY d.next_attempt_at
                LIMIT 1
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET locked_until = $2 FROM next WHERE d.id = next.id
            RETURNING d.id, d.endpoint_id, d.message_id, d.event_type, d.payload, d.status, d.attempts, d.series_attempts,
                      d.next_attempt_at, d.last_error, d.created_at, d.delivered_at
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + Lease });
        DeliveryRow delivery;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            delivery = WebhookStore.ReadDelivery(reader);
        }
        var endpoint = await _store.GetAsync(delivery.EndpointId, cancellationToken).ConfigureAwait(false);
        return endpoint is null ? null : (delivery, endpoint);
    }

    private async Task DeliverAsync(DeliveryRow delivery, EndpointRow endpoint, CancellationToken stoppingToken)
    {
        var started = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null;
        try
        {
            var body = Encoding.UTF8.GetBytes(delivery.Payload);
            var timestamp = started.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.IdHeader, delivery.MessageId);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(_store.SigningKeys(endpoint), delivery.MessageId, timestamp, body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                statusCode = (int)response.StatusCode;
                if (statusCode is < 200 or > 299)
                {
                    error = statusCode is >= 300 and < 400
                        ? $"HTTP {statusCode}: redirects are not followed; register the final URL"
                        : $"HTTP {statusCode} {response.ReasonPhrase}";
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"no response within {_options.AttemptTimeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException e)
            {
                error = e.InnerException is System.Net.Sockets.SocketException socket ? $"{e.Message} ({socket.SocketErrorCode})" : e.Message;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The secret was sealed with another key: this node's Webhooks:EncryptionKey differs.
            error = "this node cannot decrypt the endpoint's secret (Webhooks:EncryptionKey differs between nodes)";
        }
        catch (Exception e) when (e is UriFormatException or InvalidOperationException)
        {
            error = $"the request could not be made: {e.Message}";
        }
        await RecordAsync(delivery, endpoint, started, statusCode, clock.Elapsed.TotalMilliseconds, error).ConfigureAwait(false);
    }

    private async Task RecordAsync(DeliveryRow delivery, EndpointRow endpoint, DateTimeOffset started, int? statusCode, double latencyMs, string? error)
    {
        var now = _time.GetUtcNow();
        var schedule = _options.Schedule;
        bool delivered = error is null;
        bool exhausted = !delivered && delivery.SeriesAttempts + 1 > schedule.Count;
        var next = delivered || exhausted ? now : now + Jitter(schedule[delivery.SeriesAttempts]);

        // Recorded even if the host is stopping: the attempt happened.
        await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        int attempt;
        await using (var update = new NpgsqlCommand(
            """
            UPDATE webhook_deliveries SET
                attempts = attempts + 1, series_attempts = series_attempts + 1, locked_until = NULL,
                status = $2, next_attempt_at = $3, last_error = $4, delivered_at = CASE WHEN $2 = 'Delivered' THEN $5 ELSE delivered_at END
            WHERE id = $1
            RETURNING attempts
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = delivery.Id });
            update.Parameters.Add(new() { Value = delivered ? "Delivered" : exhausted ? "Failed" : "Pending" });
            update.Parameters.Add(new() { Value = next });
            update.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = now });
            if (await update.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is not int n)
            {
                return; // the endpoint was deleted meanwhile
            }
            attempt = n;
        }
        await using (var log = new NpgsqlCommand(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error, worker)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, transaction))
        {
            log.Parameters.Add(new() { Value = delivery.Id });
            log.Parameters.Add(new() { Value = attempt });
            log.Parameters.Add(new() { Value = started });
            log.Parameters.Add(new() { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            log.Parameters.Add(new() { Value = latencyMs });
            log.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            log.Parameters.Add(new() { Value = _worker });
            await log.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        string? disabledReason = null;
        await using (var health = new NpgsqlCommand(
            """
            UPDATE webhook_endpoints SET
                failure_streak = CASE WHEN $2 THEN 0 ELSE failure_streak + 1 END,
                failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, $3) END
            WHERE id = $1
            RETURNING failure_streak, failing_since, disabled_at IS NOT NULL
            """, connection, transaction))
        {
            health.Parameters.Add(new() { Value = endpoint.Id });
            health.Parameters.Add(new() { Value = delivered });
            health.Parameters.Add(new() { Value = started });
            await using var reader = await health.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) && !delivered && !reader.GetBoolean(2))
            {
                var streak = reader.GetInt32(0);
                var since = reader.GetFieldValue<DateTimeOffset>(1);
                if (streak >= _options.DisableAfterFailures && now - since >= _options.DisableAfter)
                {
                    disabledReason = string.Create(CultureInfo.InvariantCulture,
                        $"Disabled automatically at {now:u}: {streak} delivery attempts in a row failed since {since:u}; the last one: {error}. ")
                        + "Fix the receiver, enable the endpoint again (PATCH with {\"enabled\": true}) and redeliver what it missed.";
                }
            }
        }
        if (disabledReason is not null)
        {
            await using var disable = new NpgsqlCommand(
                "UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1 AND disabled_at IS NULL", connection, transaction);
            disable.Parameters.Add(new() { Value = endpoint.Id });
            disable.Parameters.Add(new() { Value = now });
            disable.Parameters.Add(new() { Value = disabledReason });
            await disable.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);

        if (delivered)
        {
            LogDelivered(delivery.Id, delivery.EventType, endpoint.Id, attempt, statusCode ?? 0, latencyMs);
        }
        else
        {
            LogFailed(delivery.Id, delivery.EventType, endpoint.Id, attempt, error!, exhausted ? "none (retries exhausted)" : next.ToString("u", CultureInfo.InvariantCulture));
        }
        if (disabledReason is not null)
        {
            LogDisabled(endpoint.Id, disabledReason);
        }
    }

    private static TimeSpan Jitter(TimeSpan wait) => wait * (0.8 + (0.4 * Random.Shared.NextDouble()));

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Webhook delivery {DeliveryId} ({EventType}) to endpoint {EndpointId}: attempt {Attempt} answered {StatusCode} in {LatencyMs:F0} ms")]
    private partial void LogDelivered(Guid deliveryId, string eventType, Guid endpointId, int attempt, int statusCode, double latencyMs);

    [LoggerMessage(LogLevel.Warning, "Webhook delivery {DeliveryId} ({EventType}) to endpoint {EndpointId}: attempt {Attempt} failed: {Error}; next attempt {NextAttempt}")]
    private partial void LogFailed(Guid deliveryId, string eventType, Guid endpointId, int attempt, string error, string nextAttempt);

    [LoggerMessage(LogLevel.Error, "Webhook endpoint {EndpointId} was disabled: {Reason}")]
    private partial void LogDisabled(Guid endpointId, string reason);

    [LoggerMessage(LogLevel.Warning, "The webhook queue could not be read; trying again shortly")]
    private partial void LogQueueUnavailable(Exception e);
}
