namespace Ipam.Allocations;

/// <summary>
/// The cached free-space index of one subnet revision, with the lock that guards it, and how far into the
/// change log it has caught up (<see cref="Watermark"/>). Addresses released less than the subnet's reuse
/// cooldown ago are kept out of the index until their time is up (<see cref="Cooling"/>).
/// </summary>
/// <remarks>Every member except the immutable ones is used under <see cref="Gate"/>.</remarks>
internal sealed class FreeSpace(Subnet subnet, FreeRangeIndex index, long watermark)
{
    private readonly Dictionary<IpAddress, DateTimeOffset> _coolingUntil = [];
    private readonly Queue<(IpAddress Address, DateTimeOffset Until)> _thawOrder = new();

    /// <summary>The subnet as it was when the index was built.</summary>
    public Subnet Subnet { get; } = subnet;

    public Guid SubnetId => Subnet.Id;

    public long Revision => Subnet.Revision;

    public FreeRangeIndex Index { get; } = index;

    public Lock Gate { get; } = new();

    /// <summary>The position of the last change of the log the index reflects.</summary>
    public long Watermark { get; private set; } = watermark;

    /// <summary>
    /// Whether the instance's <see cref="ChangeLogFollower"/> applies the log to this index; set and read under the
    /// follower's lock, not <see cref="Gate"/>, so that joining and following cannot interleave.
    /// </summary>
    public bool Followed { get; set; }

    /// <summary>Free addresses held back by the reuse cooldown.</summary>
    public int Cooling => _coolingUntil.Count;

    /// <summary>How many times an address has become free in the index (a release, an expiry, the end of a cooldown): a pick made before stands only while this holds still.</summary>
    public long Freed { get; private set; }

    /// <summary>
    /// No address in the index became free later than this: the latest time one was released into it, or came back to it
    /// at the end of its cooldown, or the index was built. A pick from the index is dated no earlier, so that the history
    /// never shows it made before the release, or the end of the cooldown, that freed its address: a request's time is
    /// taken when its unit starts, and the read that brings another writer's release comes after.
    /// </summary>
    public DateTimeOffset FreedBy { get; private set; }

    /// <summary>An upper bound of the bytes the index and its cooldown hold (about 100 bytes per cooling address).</summary>
    public long ApproximateBytes => Index.ApproximateBytes + (Cooling * 100L);

    /// <summary>Applies a committed allocation change of this subnet unless the index already reflects it.</summary>
    public void Apply(Change change, DateTimeOffset now)
    {
        if (change.Sequence <= Watermark)
        {
            return;
        }

        ApplyChange(change, now);
        Watermark = change.Sequence;
    }

    /// <summary>Records that every change up to <paramref name="sequence"/> has been read for this index (none of them was its subnet's, or all are applied).</summary>
    public void CaughtUpThrough(long sequence)
    {
        if (sequence > Watermark)
        {
            Watermark = sequence;
        }
    }

    /// <summary>
    /// Holds back the addresses released within the cooldown before <paramref name="now"/> that are still free,
    /// from the subnet's recent allocation changes in log order; used once, on a fresh index.
    /// </summary>
    public void HoldBackRecentReleases(IReadOnlyList<Change> recent, DateTimeOffset now)
    {
        var last = new Dictionary<IpAddress, Change>();
        foreach (var change in recent)
        {
            if (change.Address is { } address)
            {
                last[address] = change;
            }
        }

        foreach (var (address, change) in last.OrderBy(l => l.Value.Sequence))
        {
            if (ChangeTypes.EndsAllocation(change.Type) && Index.Remove(address))
            {
                Release(address, change.At, now);
            }
        }
    }

    /// <summary>The free addresses held back by the reuse cooldown, ascending.</summary>
    public IpAddress[] CoolingAddresses() => [.. _coolingUntil.Keys.Order()];

    /// <summary>
    /// When the first cooling address is due back in the index (null: none is cooling): the time
    /// <see cref="Thaw"/> returns it. Entries of addresses taken or released again since are dropped on the way.
    /// </summary>
    public DateTimeOffset? FirstThaw()
    {
        while (_thawOrder.TryPeek(out var next))
        {
            // Only if still cooling from that release: a later allocation removed it, a later release re-queued it.
            if (_coolingUntil.TryGetValue(next.Address, out var until) && until == next.Until)
            {
                return next.Until;
            }

            _thawOrder.Dequeue();
        }

        return null;
    }

    /// <summary>Returns to the index every cooling address whose cooldown is over at <paramref name="now"/>.</summary>
    public void Thaw(DateTimeOffset now)
    {
        while (FirstThaw() is { } until && until <= now)
        {
            var address = _thawOrder.Dequeue().Address;
            _coolingUntil.Remove(address);
            Index.Add(address);
            Freed++;
            FreedNoLaterThan(until);
        }
    }

    /// <summary>Records that no address in the index became free later than <paramref name="time"/> (see <see cref="FreedBy"/>).</summary>
    public void FreedNoLaterThan(DateTimeOffset time)
    {
        if (time > FreedBy)
        {
            FreedBy = time;
        }
    }

    /// <summary>
    /// An address allocated outside the index (a specific request): neither free nor cooling any more. Says which it
    /// was before.
    /// </summary>
    public (bool WasFree, bool WasCooling) Taken(IpAddress address) => (Index.Remove(address), _coolingUntil.Remove(address));

    /// <summary>Whether <paramref name="address"/> is free but held back by the reuse cooldown.</summary>
    public bool IsCooling(IpAddress address) => _coolingUntil.ContainsKey(address);

    /// <summary>
    /// An address picked and then not kept (its insert was undone by the same unit): free again, as it was, unless the
    /// log read since brought its allocation and release by another writer, which left it cooling down.
    /// </summary>
    public void Unpicked(IpAddress address)
    {
        if (!IsCooling(address))
        {
            Index.Add(address);
        }
    }

    /// <summary>
    /// Returns to the index the addresses a unit took from it, when its transaction rolled back (or may have
    /// committed), provided no change of the log was applied to the index since <paramref name="watermark"/>, its
    /// <see cref="Watermark"/> before they were taken: the index then shows the log up to the same change as before,
    /// and so is as exact as it was. Otherwise false, changing nothing: a change applied since may be another
    /// writer's allocation of one of these very addresses, which returning it would undo.
    /// </summary>
    public bool TryReturn(long watermark, IReadOnlyList<IpAddress> addresses)
    {
        if (Watermark != watermark)
        {
            return false;
        }

        foreach (var address in addresses)
        {
            Index.Add(address);
        }

        return true;
    }

    /// <summary>
    /// Takes out again, neither free nor cooling, the addresses a unit released itself (<see cref="Released"/>) when
    /// its transaction rolled back, provided no change of the log was applied to the index since
    /// <paramref name="watermark"/>, as <see cref="TryReturn"/> does; otherwise false, changing nothing.
    /// </summary>
    public bool TryTakeBack(long watermark, IReadOnlyList<IpAddress> addresses)
    {
        if (Watermark != watermark)
        {
            return false;
        }

        foreach (var address in addresses)
        {
            Taken(address);
        }

        return true;
    }

    /// <summary>An address the current unit released itself (an expired reservation): free at once, or cooling.</summary>
    public void Released(IpAddress address, DateTimeOffset now) => Release(address, now, now);

    private void ApplyChange(Change change, DateTimeOffset now)
    {
        if (change.Address is not { } address)
        {
            return;
        }

        if (change.Type == ChangeTypes.AllocationCreated)
        {
            Taken(address);
        }
        else if (ChangeTypes.EndsAllocation(change.Type))
        {
            Release(address, change.At, now);
        }
    }

    private void Release(IpAddress address, DateTimeOffset releasedAt, DateTimeOffset now)
    {
        // An address outside the allocation pools (a specific request's) is never offered, so never held back either.
        if (!Index.Pools.Contains(address))
        {
            return;
        }

        var until = releasedAt.AddSeconds(Subnet.ReuseCooldownSeconds);
        if (until <= now)
        {
            Index.Add(address);
            Freed++;
            FreedNoLaterThan(until);
            return;
        }

        _coolingUntil[address] = until;
        _thawOrder.Enqueue((address, until));
    }
}
