using Ipam.Storage;

namespace Ipam.Allocations;

/// <summary>
/// Follows the change log for the whole instance: before a pick, one read of the allocation changes committed
/// since the last look, whatever their subnet, applied to every cached index they concern. The log then needs
/// no index by subnet (one page less written by every allocation), and the cost of a look is the number of
/// changes since the previous one.
/// </summary>
/// <remarks>
/// An index joins when it is first used: it was built from rows as of its own position in the log, so it reads
/// the few changes between that position and the follower's, then takes the follower's from there on. Looks
/// are one at a time; a request that arrives while a look is running waits for it and then makes its own,
/// since changes may have committed after that look began.
/// </remarks>
internal sealed class ChangeLogFollower
{
    public const int PageSize = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _position;
    private long _looksStarted;
    private long _lastLookStartedAs;
    private long _lastLookAtTicks;

    private DateTimeOffset LastLookAt => new(Interlocked.Read(ref _lastLookAtTicks), TimeSpan.Zero);

    /// <summary>
    /// Brings <paramref name="space"/>, and every other followed index, up to the last committed change;
    /// <paramref name="cached"/> finds the cached index of a subnet, if any, whatever its revision.
    /// </summary>
    public async ValueTask CatchUpAsync(
        IIpamSession session, FreeSpace space, Func<Guid, FreeSpace?> cached, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var arrivedAfter = Interlocked.Read(ref _looksStarted);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _position ??= await session.FindLastChangeSequenceAsync(cancellationToken).ConfigureAwait(false);
            if (!space.Followed)
            {
                await JoinAsync(session, space, _position.Value, now, cancellationToken).ConfigureAwait(false);
            }

            if (_lastLookStartedAs > arrivedAfter)
            {
                return;
            }

            _lastLookStartedAs = Interlocked.Increment(ref _looksStarted);
            await FollowAsync(session, cached, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Forgets the position if the last look is older than <paramref name="maxIdle"/>: the changes since may have
    /// been pruned, so every index must be rebuilt (true).
    /// </summary>
    public async ValueTask<bool> RestartIfIdleAsync(TimeSpan maxIdle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_position is null || now - LastLookAt <= maxIdle)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var idle = _position is not null && now - LastLookAt > maxIdle;
            if (idle)
            {
                _position = null;
            }

            return idle;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask FollowAsync(IIpamSession session, Func<Guid, FreeSpace?> cached, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await session.ListAllocationChangesAsync(_position!.Value, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                if (change.SubnetId is { } subnetId && cached(subnetId) is { Followed: true } target)
                {
                    lock (target.Gate)
                    {
                        target.Apply(change, now);
                    }
                }
            }

            if (changes.Count > 0)
            {
                _position = changes[^1].Sequence;
            }

            if (changes.Count < PageSize)
            {
                Interlocked.Exchange(ref _lastLookAtTicks, now.UtcTicks);
                return;
            }
        }
    }

    private static async ValueTask JoinAsync(IIpamSession session, FreeSpace space, long position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long after;
        lock (space.Gate)
        {
            after = space.Watermark;
        }

        while (after < position)
        {
            var changes = await session.ListAllocationChangesAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            lock (space.Gate)
            {
                foreach (var change in changes)
                {
                    if (change.Sequence <= position && change.SubnetId == space.SubnetId)
                    {
                        space.Apply(change, now);
                    }
                }
            }

            if (changes.Count < PageSize)
            {
                break;
            }

            after = changes[^1].Sequence;
        }

        space.Followed = true;
    }
}
