namespace Ipam.Allocations;

/// <summary>
/// Follows the change log for the whole instance: before a pick, one read of the allocation changes committed
/// since the last look, whatever their subnet, applied to every cached index they concern. The log then needs
/// no index by subnet (one page less written by every allocation), and the cost of a look is the number of
/// changes since the previous one.
/// </summary>
/// <remarks>
/// <para>
/// No lock is held across a database call. A look runs in the caller's transaction, which on PostgreSQL behind
/// a transaction pooler holds a server connection once it has sent a statement; a transaction waiting here for
/// another's look while holding one, and that look waiting for a free server connection, would stall until the
/// request deadline. So every caller reads from the position it finds, and applies under a short lock only
/// the changes above the position as it is then. That is exact because committed changes always form a
/// prefix of the log (one writer on SQLite; on PostgreSQL the append's lock orders commits): a later read
/// sees everything an earlier one saw.
/// </para>
/// <para>
/// Reads are shared: a request needs a read that started after it arrived (its <see cref="CatchUpTicket"/>), not
/// one of its own. Every change acknowledged before it arrived had committed before such a read began, so that read
/// saw it, provided its statement saw every commit before it began (a write unit's does; a read unit's snapshot
/// may be older). Concurrent requests, and those that wait for one group commit, then cost one read between them,
/// on any store and any number of instances. A read that started before the request arrived never counts.
/// </para>
/// <para>
/// An index joins when it is first used: it was built from rows as of its own position in the log, so it reads
/// the changes from there until it has reached the follower's position, and is followed from then on.
/// </para>
/// </remarks>
internal sealed class ChangeLogFollower
{
    public const int PageSize = 1000;

    /// <summary>
    /// A spread pick presumes the log end while other instances allocate only if the subnet has this many times as
    /// many addresses free as they allocated in it between this instance's last two looks: then the pick meets one of
    /// theirs about once in this many (each meeting costs the transaction a run again, reading the log).
    /// </summary>
    public const int SpreadPickMargin = 100;

    /// <summary>
    /// <see cref="SpreadPickMargin"/> for a unit whose transaction runs alone (<see cref="IIpamSession.RunsAlone"/>).
    /// Reading first costs every such request one round trip; a pick that meets another's costs only that request its
    /// failed batch and a run again that reads (two or three round trips, and no pause of presuming). Meeting one in
    /// this many picks at most, presuming costs less than reading first on average. A shared transaction keeps the
    /// wide margin: a meeting there makes all its requests run again, and pauses presuming.
    /// </summary>
    public const int LoneSpreadPickMargin = 8;

    private readonly Lock _gate = new();
    private long? _position;
    private long _lastLookAtTicks;
    private long _readsStarted;

    // Under _gate: the number of the latest read whose changes are all applied, and the number of restarts, so
    // that a read begun before a restart marks nothing.
    private long _appliedRead;
    private long _restarts;

    // Under _gate: how many changes this instance had not applied from its own commits the latest read brought (or
    // the latest commit's check, when it found some), by subnet (Guid.Empty for a change of none): a sign that others
    // write, and what a pick in one subnet from a presumed log end may meet; and whether any of them freed an address,
    // which would refute the presumption itself.
    private Dictionary<Guid, int> _othersLastSeenIn = [];
    private bool _othersFreed;

    // Under _gate: whether a commit of this instance found more changes past the position than it reads, so that only
    // a read brings the position to the log's end; presuming before would only check the same stretch again.
    private bool _unreadBehind;

    // Under _gate: IIpamSession.UnplacedCommits as the latest read by a write unit found it before it began.
    private long _unplacedBeforeRead;

    private DateTimeOffset LastLookAt => new(Interlocked.Read(ref _lastLookAtTicks), TimeSpan.Zero);

    /// <summary>The ticket of a request arriving now.</summary>
    public CatchUpTicket Ticket() => new(Interlocked.Read(ref _readsStarted));

    /// <summary>
    /// Brings <paramref name="space"/>, and every other followed index, up to at least every change committed
    /// before <paramref name="ticket"/> was taken; <paramref name="cached"/> finds the cached index of a subnet, if
    /// any, whatever its revision. <paramref name="readFirstPage"/>, if given, makes the first read of the log, if one
    /// is needed, given the position to read after. With <paramref name="mayPresume"/>, a read may be replaced by the
    /// store's check at commit that the log still ends at the position (<see cref="IIpamSession.TryPresumeLogEnd"/>);
    /// with <paramref name="despiteOthersCreations"/> also while other instances allocate (see <see cref="Presume"/>).
    /// </summary>
    public async ValueTask CatchUpAsync(
        IIpamSession session, FreeSpace space, CatchUpTicket ticket, Func<Guid, FreeSpace?> cached, DateTimeOffset now, CancellationToken cancellationToken,
        Func<long, ValueTask<IReadOnlyList<Change>>>? readFirstPage = null, bool mayPresume = false, bool despiteOthersCreations = false)
    {
        if (Position is null)
        {
            var last = session.KnownLogEnd ?? await session.FindLastChangeSequenceAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _position ??= last;
            }
        }

        if (!Covers(ticket) && !CoverWithoutReading(session, now)
            && !(mayPresume && Presume(session, pickIn: space, spreads: despiteOthersCreations)))
        {
            await FollowAsync(session, cached, now, readFirstPage, cancellationToken).ConfigureAwait(false);
        }

        if (!space.Followed)
        {
            await JoinAsync(session, space, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Forgets the position if the last look is older than <paramref name="maxIdle"/>: the changes since may have
    /// been pruned, so every index must be rebuilt (true).
    /// </summary>
    public bool RestartIfIdle(TimeSpan maxIdle, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_position is null || now - LastLookAt <= maxIdle)
            {
                return false;
            }

            _position = null;
            _appliedRead = 0;
            _restarts++;
            return true;
        }
    }

    /// <summary>
    /// Applies the changes of a unit of this instance that just committed, when the store knew where they went
    /// (<see cref="IIpamSession.ChangesAppendedAfter"/>) and they follow the position directly, or the store checked
    /// the log from <paramref name="checkedFrom"/> (<see cref="IIpamSession.ChangesCheckedFrom"/>) and read the
    /// allocation changes in between, <paramref name="seen"/>: what a read of the log would have brought, without
    /// reading it. Otherwise the next read brings them.
    /// </summary>
    public void Committed(
        IReadOnlyList<Change> changes, long appendedAfter, long? checkedFrom, IReadOnlyList<Change> seen, Func<Guid, FreeSpace?> cached, DateTimeOffset now)
    {
        lock (_gate)
        {
            var follows = _position == appendedAfter || (checkedFrom <= _position && _position <= appendedAfter);
            if (!follows)
            {
                _unreadBehind |= _position < appendedAfter;
                return;
            }

            // Other instances' allocations, all committed before this unit's changes (the check found no release).
            // Nothing seen after a unit that read first says nothing of how much others allocate: only a read resets it.
            if (_position != appendedAfter)
            {
                var seenIn = new Dictionary<Guid, int>();
                Apply(seen, cached, now, seenIn);
                if (seenIn.Count > 0)
                {
                    _othersLastSeenIn = seenIn;
                    _othersFreed = false;
                }
            }

            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i] with { Sequence = appendedAfter + 1 + i };
                if (change.Address is not null && change.SubnetId is { } subnetId && cached(subnetId) is { Followed: true } target)
                {
                    lock (target.Gate)
                    {
                        target.Apply(change, now);
                    }
                }
            }

            _position = appendedAfter + changes.Count;
        }

        // The store knew where they went because it checked the log up to there (see CatchUpAsync): a look.
        Interlocked.Exchange(ref _lastLookAtTicks, now.UtcTicks);
    }

    /// <summary>
    /// Counts as a read made now, without sending one, when the store knows where the log ends
    /// (<see cref="IIpamSession.KnownLogEnd"/>) and the position is there: a read would bring nothing.
    /// </summary>
    private bool CoverWithoutReading(IIpamSession session, DateTimeOffset now)
    {
        if (session.KnownLogEnd is not { } end)
        {
            return false;
        }

        lock (_gate)
        {
            if (_position != end)
            {
                return false;
            }

            var read = Interlocked.Increment(ref _readsStarted);
            _appliedRead = Math.Max(_appliedRead, read);
        }

        Interlocked.Exchange(ref _lastLookAtTicks, now.UtcTicks);
        return true;
    }

    /// <summary>
    /// Whether the store took the position as the log's end, to check at commit (<see cref="IIpamSession.TryPresumeLogEnd"/>).
    /// Marks no read applied: the requests of other transactions still need theirs. Not after a commit of this
    /// instance's own at an unknown position, nor while the latest read brought releases of other writers: the check
    /// would fail and the transaction run again. Nor while it brought their allocations in the subnet the unit picks in,
    /// <paramref name="pickIn"/>, unless it picks one address spread over it (<paramref name="spreads"/>,
    /// <see cref="Strategies.IAllocationStrategy.SpreadsPicks"/>) and that has <see cref="SpreadPickMargin"/> times as
    /// many addresses free as they allocated in it then (<see cref="LoneSpreadPickMargin"/> times in a transaction of its own): a pick of the lowest free address would meet the one they just
    /// took, and so would a spread pick among few; their allocations in other subnets meet neither. Nor, until a read, after a commit found
    /// more of their allocations past the position than a commit reads. A unit that <paramref name="caughtUp"/> (its
    /// catch-up read, or another's that covered it, brought the position to the log's end before it picked) presumes
    /// whatever that read brought: otherwise its own commit would land where the instance is not told, the next unit
    /// would read it, and count it as another writer's.
    /// </summary>
    public bool Presume(IIpamSession session, FreeSpace? pickIn = null, bool spreads = false, bool caughtUp = false)
    {
        lock (_gate)
        {
            var othersAllow = caughtUp || _othersLastSeenIn.Count == 0
                || (pickIn is not null && !_othersFreed && (spreads ? FewOthersCreationsMeetPicksIn(pickIn, session.RunsAlone ? LoneSpreadPickMargin : SpreadPickMargin) : OthersAllocatedNothingIn(pickIn)));
            return othersAllow && !_unreadBehind && session.UnplacedCommits == _unplacedBeforeRead && _position is { } position
                && session.TryPresumeLogEnd(position, spreadPick: pickIn is not null && spreads);
        }
    }

    /// <summary>Whether the last look found no allocation of other instances' in <paramref name="space"/>'s subnet; under <see cref="_gate"/>.</summary>
    private bool OthersAllocatedNothingIn(FreeSpace space) => !_othersLastSeenIn.ContainsKey(space.SubnetId);

    /// <summary>
    /// Whether a spread pick in <paramref name="space"/> seldom meets what other instances allocated in its subnet
    /// between the last two looks (<paramref name="margin"/>): their allocations elsewhere cannot meet it. Under
    /// <see cref="_gate"/>, which is taken before an index's gate, as <see cref="Apply"/> does.
    /// </summary>
    private bool FewOthersCreationsMeetPicksIn(FreeSpace space, int margin)
    {
        if (!_othersLastSeenIn.TryGetValue(space.SubnetId, out var seenHere))
        {
            return true;
        }

        lock (space.Gate)
        {
            return space.Index.FreeCount >= (UInt128)seenHere * (UInt128)margin;
        }
    }

    /// <summary>Whether a read started after <paramref name="ticket"/> was taken has been applied.</summary>
    private bool Covers(CatchUpTicket ticket)
    {
        lock (_gate)
        {
            return _position is not null && _appliedRead > ticket.ReadsStarted;
        }
    }

    private long? Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    private async ValueTask FollowAsync(
        IIpamSession session, Func<Guid, FreeSpace?> cached, DateTimeOffset now, Func<long, ValueTask<IReadOnlyList<Change>>>? readFirstPage,
        CancellationToken cancellationToken)
    {
        long after;
        long restarts;
        lock (_gate)
        {
            if (_position is not { } position)
            {
                return;
            }

            after = position;
            restarts = _restarts;
        }

        // Where the log ends, if the store knows: nothing else commits before the read (see KnownLogEnd), so the
        // position can move past the changes the read leaves out (those of no address) to the end.
        var end = session.KnownLogEnd;

        // Numbered before the statement is sent: whatever it reads committed before any ticket this number covers.
        var read = Interlocked.Increment(ref _readsStarted);
        var unplaced = session.UnplacedCommits;
        var freed = false;
        var appliedIn = new Dictionary<Guid, int>();
        await ReadAfterAsync(session, after, cancellationToken, changes =>
        {
            lock (_gate)
            {
                if (_restarts == restarts)
                {
                    freed |= Apply(changes, cached, now, appliedIn);
                }
            }
        }, readFirstPage).ConfigureAwait(false);
        lock (_gate)
        {
            _othersLastSeenIn = appliedIn;
            _othersFreed = freed;
            _unreadBehind = false;
            if (session.SeesEveryEarlierCommit)
            {
                _unplacedBeforeRead = unplaced;
            }
            // A unit reading one snapshot may have taken it before this read was numbered: it covers no ticket.
            if (_restarts == restarts && read > _appliedRead && session.SeesEveryEarlierCommit)
            {
                _appliedRead = read;
            }

            if (_restarts == restarts && end > _position)
            {
                _position = end;
            }
        }

        Interlocked.Exchange(ref _lastLookAtTicks, now.UtcTicks);
    }

    /// <summary>
    /// Applies the changes above the position to the followed indexes they concern; under <see cref="_gate"/>. Counts
    /// them by subnet into <paramref name="appliedIn"/>, and returns whether one of them freed an address.
    /// </summary>
    private bool Apply(IReadOnlyList<Change> changes, Func<Guid, FreeSpace?> cached, DateTimeOffset now, Dictionary<Guid, int> appliedIn)
    {
        var freed = false;
        foreach (var change in changes)
        {
            if (_position is not { } position || change.Sequence <= position)
            {
                continue;
            }

            var subnet = change.SubnetId ?? Guid.Empty;
            appliedIn[subnet] = appliedIn.GetValueOrDefault(subnet) + 1;
            if (change.SubnetId is { } subnetId && cached(subnetId) is { Followed: true } target)
            {
                lock (target.Gate)
                {
                    target.Apply(change, now);
                }
            }

            _position = change.Sequence;
            freed |= ChangeTypes.EndsAllocation(change.Type);
        }

        return freed;
    }

    /// <summary>
    /// Reads the changes after the index's own position until it has reached the follower's, then marks it
    /// followed, under the follower's lock so that no change is applied in between. A read unit's snapshot may
    /// predate the follower's position; it brings the index as far as it sees and leaves it unfollowed.
    /// </summary>
    private async ValueTask JoinAsync(IIpamSession session, FreeSpace space, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            long after;
            long? target;
            lock (_gate)
            {
                lock (space.Gate)
                {
                    after = space.Watermark;
                }

                target = _position;
                if (target is null || after >= target)
                {
                    space.Followed = true;
                    return;
                }
            }

            var read = await ReadAfterAsync(session, after, cancellationToken, changes =>
            {
                lock (space.Gate)
                {
                    foreach (var change in changes.Where(c => c.SubnetId == space.SubnetId))
                    {
                        space.Apply(change, now);
                    }
                }
            }).ConfigureAwait(false);
            // A statement that sees every earlier commit began after the target was seen, so every change up to it
            // was in what was read. A read unit's snapshot may be older than the follower's reads: the index is then
            // exact only as of what was read, and the next write joins it.
            var through = session.SeesEveryEarlierCommit ? Math.Max(read, target.Value) : read;
            lock (space.Gate)
            {
                space.CaughtUpThrough(through);
            }

            if (through < target)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads every committed allocation change after <paramref name="after"/>, page by page (the first by
    /// <paramref name="readFirstPage"/> if given), handing each page to <paramref name="apply"/>; returns the last
    /// sequence read.
    /// </summary>
    private static async ValueTask<long> ReadAfterAsync(
        IIpamSession session, long after, CancellationToken cancellationToken, Action<IReadOnlyList<Change>> apply,
        Func<long, ValueTask<IReadOnlyList<Change>>>? readFirstPage = null)
    {
        while (true)
        {
            var changes = readFirstPage is { } first
                ? await first(after).ConfigureAwait(false)
                : await session.ListAllocationChangesAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            readFirstPage = null;
            apply(changes);
            if (changes.Count > 0)
            {
                after = changes[^1].Sequence;
            }

            if (changes.Count < PageSize)
            {
                return after;
            }
        }
    }
}
