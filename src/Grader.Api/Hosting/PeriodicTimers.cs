namespace Grader.Api.Hosting;

public static class PeriodicTimers
{
    // The next tick, or false once the service stops. A host that fails to start stops its
    // background services before cancelling their token, which ends the wait with an exception.
    public static async Task<bool> NextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
