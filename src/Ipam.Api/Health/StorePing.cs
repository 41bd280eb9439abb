using System.Diagnostics;

namespace Ipam.Api.Health;

/// <summary>
/// The readiness probe's ping of the store, one at a time, on the thread pool. A store call can block its thread
/// without heeding cancellation (SQLite's calls run synchronously, and one waiting on a frozen file system waits
/// until it thaws): run on the probe's own thread it would hold the probe past its timeout, and a ping started for
/// every probe would hold one more thread each. Probes that arrive while a ping is under way wait for that one.
/// </summary>
public sealed class StorePing
{
    private readonly Func<CancellationToken, Task<bool>> _ping;
    private readonly Lock _gate = new();
    private Ping? _underWay;

    public StorePing(IIpamStore store)
        : this(store.PingAsync)
    {
    }

    internal StorePing(Func<CancellationToken, Task<bool>> ping) => _ping = ping;

    /// <summary>Whether the store answers the ping within <paramref name="timeout"/>.</summary>
    public async Task<bool> AnswersWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probeStarted = Stopwatch.GetTimestamp();
        var joined = Join(timeout);
        var answered = await AwaitAsync(joined.Answer, timeout, cancellationToken).ConfigureAwait(false);
        var left = timeout - Stopwatch.GetElapsedTime(probeStarted);
        if (answered || joined.StartedAt >= probeStarted || left <= TimeSpan.Zero)
        {
            return answered;
        }

        // The "no" came from a ping begun before this probe, perhaps while the store was still down and past that
        // ping's own deadline: it says nothing about now. Ask once more in the time left, still one ping at a time.
        return await AwaitAsync(Join(left).Answer, left, cancellationToken).ConfigureAwait(false);
    }

    private Ping Join(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_underWay is null || _underWay.Answer.IsCompleted)
            {
                _underWay = new Ping(Task.Run(() => PingAsync(timeout), CancellationToken.None), Stopwatch.GetTimestamp());
            }

            return _underWay;
        }
    }

    private static async Task<bool> AwaitAsync(Task<bool> answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
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
            return await _ping(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A ping and when it began (a <see cref="Stopwatch"/> timestamp).</summary>
    private sealed record Ping(Task<bool> Answer, long StartedAt);
}
