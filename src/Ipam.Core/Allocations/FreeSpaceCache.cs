using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Ipam.Caching;

namespace Ipam.Allocations;

/// <summary>
/// Free-space indexes per subnet, built from the database when missing or built for an older subnet
/// revision, and caught up from the change log before every use (<see cref="GetCurrentAsync"/>, through the
/// instance's <see cref="ChangeLogFollower"/>, one read shared by the requests that arrived before it), at a cost
/// proportional to the changes since the last look: so
/// every instance on a database sees the allocations and releases of every other. When a transaction that touched
/// an entry rolls back, the entry is dropped unless what its units did to it can be undone exactly: addresses they
/// took are returned to an index nothing of the log was applied to since (<see cref="ReturnPicksOnRollback"/>,
/// <see cref="Allocated"/>), and an index they did not change stays if it was cached before their writes
/// (<see cref="InvalidateUnless"/>). So the cache can only be stale in the safe direction: an address it believes free
/// may be taken (the database's primary key refuses the duplicate and the allocator picks again), and the log, read
/// before the next presumption, brings who took it.
/// </summary>
internal sealed class FreeSpaceCache(TimeProvider time, IpamCacheOptions? options = null)
    : SessionRevisionCache<Subnet, FreeSpace>(
        (state, cancellationToken) => BuildAsync(state, time, cancellationToken),
        new CacheBudget<FreeSpace>((options ?? new IpamCacheOptions()).FreeSpaceBytes, space => space.ApproximateBytes))
{
    /// <summary>
    /// The subnet at <paramref name="revision"/> if its index is cached, or if it was loaded at that revision before
    /// (<see cref="RememberSubnet"/>), which saves loading the subnet row and its pools on every allocation.
    /// </summary>
    public bool TryGetSubnet(Guid subnetId, long revision, [NotNullWhen(true)] out Subnet? subnet)
    {
        subnet = Entries.TryGet(subnetId, revision, out var entry) ? entry.Subnet : null;
        return subnet is not null || _loaded.TryGet(subnetId, revision, out subnet);
    }

    /// <summary>
    /// The subnet as it was last loaded without an index's help (<see cref="RememberSubnet"/>), whatever its revision,
    /// which a specific allocation may use if its insert checks that revision.
    /// </summary>
    public bool TryGetLoadedSubnet(Guid subnetId, [NotNullWhen(true)] out Subnet? subnet) => _loaded.TryGetAny(subnetId, out subnet);

    /// <summary>Keeps a subnet loaded from the database for <see cref="TryGetSubnet"/>, whether or not its index is ever built.</summary>
    public void RememberSubnet(IIpamSession session, Subnet subnet) => _loaded.Remember(session, subnet);

    /// <summary>How many subnets are kept without an index's help (<see cref="RememberSubnet"/>).</summary>
    public int LoadedSubnetCount => _loaded.Count;

    /// <summary>
    /// The subnet of the subnet's cached index, whatever its revision: the subnet as this instance last knew it,
    /// which an allocation may use if its insert checks that revision.
    /// </summary>
    public bool TryGetLatestSubnet(Guid subnetId, [NotNullWhen(true)] out Subnet? subnet)
    {
        subnet = Cached(subnetId)?.Subnet;
        return subnet is not null;
    }

    /// <summary>
    /// When the instance has not looked at the log for this long, every index is rebuilt instead: the log keeps at
    /// least a day of changes (<c>--history-days</c> is at least 1), so the changes after its position may have
    /// been pruned.
    /// </summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromHours(6);

    private readonly ChangeLogFollower _follower = new();
    private readonly LoadedSubnets _loaded = new((options ?? new IpamCacheOptions()).SubnetBytes);
    private readonly ConcurrentDictionary<Guid, Lazy<Task>> _building = new();

    /// <summary>
    /// The ticket of a request arriving now, taken before it queues for the database: the index it is given will
    /// show every change committed before this moment.
    /// </summary>
    public CatchUpTicket Ticket() => _follower.Ticket();

    /// <summary>
    /// Has the changes <paramref name="session"/> records applied to the indexes once it commits, where the store
    /// tells where they went in the log, so that the next pick needs no read of them. Where the store only knows that
    /// by checking the log at commit (<see cref="IIpamSession.TryPresumeLogEnd"/>), the unit presumes the follower's
    /// position: otherwise the next unit's presumption would meet this one's own changes and fail. A unit that
    /// <paramref name="caughtUp"/> with the log before it picked presumes whatever others wrote before: what it read
    /// is behind the position, and only a release committed since would refute the check.
    /// </summary>
    public void FollowOwnCommit(IIpamSession session, bool caughtUp = false)
    {
        _follower.Presume(session, caughtUp: caughtUp);
        session.OnCommitted(() =>
        {
            if (session.ChangesAppendedAfter is { } after && session.Changes.Count > 0)
            {
                _follower.Committed(session.Changes, after, session.ChangesCheckedFrom, session.ChangesSeenAtCommit, Cached, time.GetUtcNow());
            }
        });
    }

    /// <summary>
    /// The subnet's index, with every change committed before <paramref name="ticket"/> was taken applied (and
    /// perhaps later ones), and every cooldown that ended thawed. <paramref name="readFirstPage"/>, if given, makes
    /// the catch-up's first read of the log instead of the session, with the index and the position to read after.
    /// With <paramref name="mayPresume"/>, the read may be left to a check at commit, and with
    /// <paramref name="despiteOthersCreations"/> also while other instances allocate (see <see cref="ChangeLogFollower.CatchUpAsync"/>).
    /// </summary>
    public async ValueTask<FreeSpace> GetCurrentAsync(
        IIpamSession session, Subnet subnet, CatchUpTicket ticket, CancellationToken cancellationToken,
        Func<FreeSpace, long, ValueTask<IReadOnlyList<Change>>>? readFirstPage = null, bool mayPresume = false, bool despiteOthersCreations = false)
    {
        if (_follower.RestartIfIdle(MaxIdle, time.GetUtcNow()))
        {
            InvalidateAll();
        }

        var space = await GetAsync(session, subnet, cancellationToken).ConfigureAwait(false);
        await _follower.CatchUpAsync(session, space, ticket, Cached, time.GetUtcNow(), cancellationToken,
            readFirstPage is null ? null : after => readFirstPage(space, after), mayPresume, despiteOthersCreations).ConfigureAwait(false);
        lock (space.Gate)
        {
            space.Thaw(time.GetUtcNow());
        }

        return space;
    }

    /// <summary>
    /// Runs <paramref name="build"/> for the subnet unless a build of it is already running, whose end is awaited
    /// instead: concurrent first requests to a large subnet build its index once, not once each.
    /// </summary>
    public Task BuildOnceAsync(Guid subnetId, Func<Task> build)
    {
        var running = _building.GetOrAdd(subnetId, id => new Lazy<Task>(() => BuildThenForgetAsync(id, build)));
        return running.Value;
    }

    private async Task BuildThenForgetAsync(Guid subnetId, Func<Task> build)
    {
        try
        {
            await build().ConfigureAwait(false);
        }
        finally
        {
            _building.TryRemove(subnetId, out _);
        }
    }

    /// <summary>
    /// Makes a rollback of <paramref name="session"/>'s transaction (or a commit of unknown outcome) return to
    /// <paramref name="space"/> the addresses the unit adds to the list returned (every address it takes from the
    /// index, less those whose insert found another writer's row), instead of dropping the index and rebuilding it
    /// from every allocation of the subnet: when a pick meets an address another instance took unseen, only that
    /// request runs again, and the index stays. Returned only while <paramref name="space"/> is still the subnet's
    /// cached index and nothing was applied to it since <paramref name="watermark"/> (<see cref="FreeSpace.TryReturn"/>);
    /// otherwise the index is dropped, as before. An address returned that another writer took, or that a commit of
    /// unknown outcome kept, is refused by the primary key if picked before the log is read; no unit presumes the log
    /// end past such a rollback without reading it (a failed check or insert runs the requests again reading; an
    /// unknown outcome counts as a commit at an unknown position), and the read takes it out.
    /// </summary>
    public List<IpAddress> ReturnPicksOnRollback(IIpamSession session, FreeSpace space, long watermark)
    {
        var kept = new List<IpAddress>();
        UndoOnRollback(session, space, () => space.TryReturn(watermark, kept));
        return kept;
    }

    /// <summary>
    /// Makes a rollback of <paramref name="session"/>'s transaction (or a commit of unknown outcome) take out of
    /// <paramref name="space"/> again the <paramref name="released"/> addresses a unit freed in it itself (expired
    /// reservations it deleted to make room), instead of dropping the index: a request refused on a full subnet after
    /// such a reclaim would otherwise cost the next one a rebuild from every allocation of the subnet. Taken back only
    /// while <paramref name="space"/> is still the subnet's cached index and nothing of the log was applied to it since
    /// <paramref name="watermark"/>, its <see cref="FreeSpace.Watermark"/> before they were freed
    /// (<see cref="FreeSpace.TryTakeBack"/>); otherwise the index is dropped. Registered before the unit's picks
    /// (<see cref="ReturnPicksOnRollback"/>): rollback actions run last first, so an address freed and then picked is
    /// returned and then taken back. A commit of unknown outcome that did commit left the reclaim's ends in the log,
    /// which the next unit reads before it presumes anything (<see cref="IIpamSession.UnplacedCommits"/>), and that
    /// read frees them again.
    /// </summary>
    public void TakeBackOnRollback(IIpamSession session, FreeSpace space, long watermark, IReadOnlyList<IpAddress> released) =>
        UndoOnRollback(session, space, () => space.TryTakeBack(watermark, released));

    /// <summary>
    /// Has a rollback of <paramref name="session"/>'s transaction run <paramref name="tryUndo"/> under the index's lock
    /// while <paramref name="space"/> is still the subnet's cached index, and drop the index when it is not or the undo
    /// returns false (it could not be exact).
    /// </summary>
    private void UndoOnRollback(IIpamSession session, FreeSpace space, Func<bool> tryUndo) =>
        session.OnRolledBack(() =>
        {
            if (Cached(space.SubnetId) == space)
            {
                lock (space.Gate)
                {
                    if (tryUndo())
                    {
                        return;
                    }
                }
            }

            Invalidate(space.SubnetId);
        });

    /// <summary>
    /// Drops the subnet's cached index unless it is <paramref name="kept"/>, the one cached before a unit of a
    /// transaction that rolled back changed rows of the subnet: only an index built since, inside that transaction,
    /// can show what the rollback undid.
    /// </summary>
    public void InvalidateUnless(Guid subnetId, FreeSpace? kept)
    {
        if (Cached(subnetId) is { } cached && cached != kept)
        {
            Invalidate(subnetId);
        }
    }

    /// <summary>The cached index of the subnet, whatever its revision, if any.</summary>
    public FreeSpace? Cached(Guid subnetId) => Entries.TryGetAny(subnetId, out var space) ? space : null;

    /// <summary>
    /// Takes an address a unit allocated outside the index (a specific request) out of a cached index, and has a
    /// rollback of the unit's transaction undo that: the address goes back to the index if it was free there and
    /// nothing was applied to the index since (as <see cref="ReturnPicksOnRollback"/>); an index the unit did not
    /// change stays, unless it is not <paramref name="indexBefore"/>, the one cached before the unit's insert (built
    /// since, in the transaction, it may show the row); anything else, an address that was cooling say, drops it.
    /// </summary>
    public void Allocated(IIpamSession session, Subnet subnet, IpAddress address, FreeSpace? indexBefore)
    {
        if (!Entries.TryGet(subnet.Id, subnet.Revision, out var entry))
        {
            session.OnRolledBack(() => InvalidateUnless(subnet.Id, indexBefore));
            return;
        }

        long watermark;
        bool wasFree, wasCooling;
        lock (entry.Gate)
        {
            watermark = entry.Watermark;
            (wasFree, wasCooling) = entry.Taken(address);
        }

        if (entry != indexBefore || wasCooling)
        {
            session.OnRolledBack(() => Invalidate(subnet.Id));
        }
        else if (wasFree)
        {
            ReturnPicksOnRollback(session, entry, watermark).Add(address);
        }
        else
        {
            session.OnRolledBack(() => InvalidateUnless(subnet.Id, entry));
        }
    }

    /// <summary>
    /// Builds from the log position first, then the allocation rows: rows read after the position already show
    /// some later changes, and applying those again changes nothing, so the index ends up exact either way. The
    /// cooldown holds back only releases of the subnet as it exists now (see
    /// <see cref="IIpamSession.ListRecentSubnetAllocationEndsAsync"/>): an earlier subnet with the same id, which may
    /// have been another tenant's, lends it none. Those all lie at or before the position, which the follower never
    /// applies again.
    /// </summary>
    private static async ValueTask<FreeSpace> BuildAsync(
        (IIpamSession Session, Subnet Subnet) state, TimeProvider time, CancellationToken cancellationToken)
    {
        var (session, subnet) = state;
        var watermark = await session.FindLastChangeSequenceAsync(cancellationToken).ConfigureAwait(false);
        var allocated = await session.ListAllocatedAddressesAsync(subnet.Id, subnet.Version, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var space = new FreeSpace(subnet, new FreeRangeIndex(subnet.PoolSet, allocated), watermark);
        space.FreedNoLaterThan(now);
        if (subnet.ReuseCooldownSeconds > 0)
        {
            var recent = await session.ListRecentSubnetAllocationEndsAsync(subnet.Id, now.AddSeconds(-subnet.ReuseCooldownSeconds), cancellationToken)
                .ConfigureAwait(false);
            space.HoldBackRecentReleases(recent, now);
        }

        return space;
    }
}
