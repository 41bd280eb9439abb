namespace Ipam.Api.Health;

/// <summary>
/// The readiness probe's ping of the store, one at a time, on the thread pool. A store call can block its thread
/// without heeding cancellation (SQLite's calls run synchronously, and one waiting on a frozen file system waits
/// until it thaws): run on the probe's own thread it would hold the probe past its timeout, and a ping started for
/// every probe would hold one more thread each. Probes that arrive while a ping is under way wait for that one.
/// </summary>
public sealed class StorePing(IIpamStore store)
{
    private readonly Lock _gate = new();
    private Task<bool>? _underWay;

    /// <summary>Whether the store answers the ping within <paramref name="timeout"/>.</summary>
    public async Task<bool> AnswersWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<bool> ping;
        lock (_gate)
        {
            if (_underWay is null || _underWay.IsCompleted)
            {
                _underWay = Task.Run(() => PingAsync(timeout), CancellationToken.None);
            }

            ping = _underWay;
        }

        try
        {
            return await ping.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> PingAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await store.PingAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
