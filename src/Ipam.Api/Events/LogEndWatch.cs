using System.Diagnostics;

namespace Ipam.Api.Events;

/// <summary>
/// Where the change log ends, looked up for every waiting reader of this instance at once: a reader at the end of the
/// log reads its own query again only when a look finds that the log has moved, so idle followers cost one cheap
/// statement (<c>max(seq)</c>) per <see cref="EventFeed.PollInterval"/> between them, however many there are, instead of
/// one read each. Commits of this instance wake their readers at once anyway (<see cref="ChangeSignal"/>); the looks are
/// for those of other instances.
/// </summary>
public sealed class LogEndWatch(IIpamStore store)
{
    private readonly Lock _gate = new();
    private Task<long>? _look;
    private long _lookStartedAt;
    private long? _lastSeen;

    /// <summary>The end the latest finished look found, if any; a look that finished before a read began measured the log before it.</summary>
    public long? LastSeen
    {
        get
        {
            lock (_gate)
            {
                return _lastSeen;
            }
        }
    }

    /// <summary>The end as a look that began at most <see cref="EventFeed.PollInterval"/> ago finds it; starts one if none did.</summary>
    public Task<long> RecentEndAsync(CancellationToken cancellationToken)
    {
        Task<long> look;
        lock (_gate)
        {
            if (_look is null || _look.IsFaulted || _look.IsCanceled
                || (_look.IsCompleted && Stopwatch.GetElapsedTime(_lookStartedAt) >= EventFeed.PollInterval))
            {
                _lookStartedAt = Stopwatch.GetTimestamp();
                _look = LookAsync();
            }

            look = _look;
        }

        return look.WaitAsync(cancellationToken);
    }

    // Not cancelled by the reader that happened to start it: the others wait for it too.
    private async Task<long> LookAsync()
    {
        var end = await store.ReadAsync((session, ct) => session.FindLastChangeSequenceAsync(ct), CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _lastSeen = end;
        }

        return end;
    }
}
