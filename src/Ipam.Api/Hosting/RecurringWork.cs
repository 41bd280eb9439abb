namespace Ipam.Api.Hosting;

/// <summary>
/// Background work run every <see cref="Interval"/> until shutdown, the first time at start unless
/// <see cref="RunsAtStart"/> says otherwise. A failed round goes to <see cref="OnFailed"/> and the next one runs as
/// usual: nothing but shutdown stops it (an exception escaping a hosted service would stop the whole host).
/// </summary>
internal abstract class RecurringWork(TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the first round runs at start rather than one interval after it.</summary>
    protected virtual bool RunsAtStart => true;

    protected abstract Task RunRoundAsync(CancellationToken stoppingToken);

    protected abstract void OnFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!RunsAtStart && !await WaitAsync(stoppingToken))
        {
            return;
        }

        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Cut short by the stop (a store call reports that as its own failure): not a failure of the work.
                return;
            }
#pragma warning disable CA1031 // Whatever failed, the next round tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                OnFailed(e);
            }
        }
        while (await WaitAsync(stoppingToken));
    }

    /// <summary>Waits one interval; false when the host is stopping.</summary>
    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Interval, Time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
