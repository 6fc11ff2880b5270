using System.Threading.Channels;
using Npgsql;

namespace Grader.Api.Submissions;

// One LISTEN connection per node fans the database's submission_status notifications (raised by a
// trigger on every state change, delivered at commit) out to the requests waiting in this process;
// regrade_progress notifications likewise, keyed by the regrade's id (each payload starts with the id).
// A waiter subscribes first and reads the row second, so a change between the two is never missed;
// after an outage every waiter is woken to read again, because notifications sent meanwhile are lost.
public sealed partial class SubmissionNotifications(NpgsqlDataSource dataSource, ILogger<SubmissionNotifications> logger) : BackgroundService
{
    public const string Channel = "submission_status";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<Subscription>> _subscriptions = [];

    // A submission's id, or a regrade's.
    public Subscription Subscribe(Guid submissionId)
    {
        var subscription = new Subscription(this, submissionId);
        lock (_lock)
        {
            if (!_subscriptions.TryGetValue(submissionId, out var list))
            {
                _subscriptions[submissionId] = list = [];
            }
            list.Add(subscription);
        }
        return subscription;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {RegradeStore.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                LogListening();
                WakeAll();
                delay = TimeSpan.FromMilliseconds(250);
                while (true)
                {
                    // A quiet connection is checked now and then, so that a dead one is noticed and replaced.
                    if (!await connection.WaitAsync(KeepAlive, stoppingToken).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // Whatever broke the connection, the service lives on and listens again.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(e, delay.TotalSeconds);
                WakeAll();
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var space = e.Payload.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && Guid.TryParse(e.Payload.AsSpan(0, space), out var id))
        {
            Wake(id);
        }
    }

    private void Wake(Guid id)
    {
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(id, out var list))
            {
                list.ForEach(s => s.Signal());
            }
        }
    }

    private void WakeAll()
    {
        lock (_lock)
        {
            foreach (var list in _subscriptions.Values)
            {
                list.ForEach(s => s.Signal());
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(subscription.SubmissionId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscriptions.Remove(subscription.SubmissionId);
            }
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly SubmissionNotifications _owner;
        // Changes that pile up before the waiter looks collapse into one wake-up: it reads the row anyway.
        private readonly Channel<bool> _signal = System.Threading.Channels.Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        internal Subscription(SubmissionNotifications owner, Guid submissionId)
        {
            _owner = owner;
            SubmissionId = submissionId;
        }

        public Guid SubmissionId { get; }

        internal void Signal() => _signal.Writer.TryWrite(true);

        /// <summary>True when the submission changed (or may have) within the timeout.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            if (timeout <= TimeSpan.Zero)
            {
                return false;
            }
            using var timer = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                await _signal.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose() => _owner.Unsubscribe(this);
    }

    [LoggerMessage(LogLevel.Information, "Listening for submission state changes")]
    private partial void LogListening();

    [LoggerMessage(LogLevel.Warning, "Lost the connection that listens for submission state changes; retrying in {RetrySeconds} s")]
    private partial void LogListenFailed(Exception e, double retrySeconds);
}
