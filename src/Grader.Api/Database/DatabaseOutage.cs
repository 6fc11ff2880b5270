using System.Net.Sockets;
using Npgsql;

namespace Grader.Api.Database;

// Knows whether PostgreSQL is unreachable, so that an outage is logged once when it starts and once
// when it ends, however many requests fail in between.
public sealed partial class DatabaseOutage(NpgsqlDataSource dataSource, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DatabaseOutage> logger)
{
    public const int RetryAfterSeconds = 5;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private int _down;

    public bool IsDown => Volatile.Read(ref _down) == 1;

    // The server is gone, starting, shutting down, or refusing connections: nothing the request did.
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                    return true;
            }
        }
        return false;
    }

    public void Report(Exception exception)
    {
        if (Interlocked.Exchange(ref _down, 1) == 1)
        {
            return;
        }
        LogUnavailable(logger, exception, exception.GetBaseException().Message);
        // Pooled connections from before the outage are dead; the next requests should not find them.
        dataSource.Clear();
        _ = Task.Run(() => WatchAsync(time.GetTimestamp()));
    }

    private async Task WatchAsync(long since)
    {
        var stopping = lifetime.ApplicationStopping;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProbeInterval, time, stopping).ConfigureAwait(false);
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(stopping).ConfigureAwait(false);
                Volatile.Write(ref _down, 0);
                LogBack(logger, time.GetElapsedTime(since).TotalSeconds);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Still down, or failing in a way requests will report themselves; try again.
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "PostgreSQL is unavailable ({Reason}); requests that need it are answered 503 until it is back")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "PostgreSQL is available again after {OutageSeconds:F0} s")]
    private static partial void LogBack(ILogger logger, double outageSeconds);
}
