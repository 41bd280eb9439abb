using Ipam.Allocations;

namespace Ipam.Api.Hosting;

/// <summary>
/// Releases reservations whose <c>expires_at</c> has passed, and forgets old idempotency keys. A failed sweep is
/// logged and the next one runs as usual: nothing but shutdown stops the sweeper (an exception escaping a
/// hosted service would stop the whole host).
/// </summary>
internal sealed partial class ExpirySweeper(
    AllocationService allocations, TimeProvider time, IpamHostOptions options, ILogger<ExpirySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ExpirySweepInterval, time);
        while (await TickAsync(timer, stoppingToken))
        {
            try
            {
                var released = await allocations.ReleaseExpiredAsync(stoppingToken);
                if (released > 0)
                {
                    LogReleased(logger, released);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException e)
            {
                LogFailed(logger, e, e.Message);
            }
            catch (Exception e)
            {
                LogCrashed(logger, e);
            }
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Released {Count} expired reservation(s)")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Expiry sweep failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Expiry sweep failed unexpectedly; the next one runs as usual")]
    private static partial void LogCrashed(ILogger logger, Exception exception);
}
