namespace Ipam.Api.Hosting;

/// <summary>
/// Background work run at start and then every <see cref="Interval"/> until shutdown. A failed round goes to
/// <see cref="OnFailed"/> and the next one runs as usual: nothing but shutdown stops it (an exception escaping a
/// hosted service would stop the whole host).
/// </summary>
internal abstract class RecurringWork(TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunRoundAsync(CancellationToken stoppingToken);

    protected abstract void OnFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever failed, the next round tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                OnFailed(e);
            }

            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
