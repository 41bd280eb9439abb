namespace Ipam.Allocations;

/// <summary>
/// The free addresses of a subnet's allocation pools as sorted disjoint ranges in a tree that counts the
/// addresses under each node. Finding the k-th free address, the lowest one, or the range holding a given
/// address descends one path, so a pick costs O(log n) in the number of free ranges whether the subnet is
/// empty or nearly full, and memory grows with the number of free ranges (that is, with allocations),
/// never with the size of the subnet.
/// </summary>
/// <remarks>
/// A cache of what the database holds: it can always be rebuilt from the pools and the allocation rows.
/// Not thread-safe; callers lock.
/// </remarks>
internal sealed class FreeRangeIndex : IFreeAddresses
{
    private readonly CountedRangeTree _free;

    public FreeRangeIndex(RangeSet pools, IEnumerable<IpAddress> allocated)
        : this(pools, allocated, new CountedRangeTree())
    {
    }

    /// <summary>Builds into <paramref name="emptyTree"/>; tests pass trees with tiny nodes to reach many levels.</summary>
    internal FreeRangeIndex(RangeSet pools, IEnumerable<IpAddress> allocated, CountedRangeTree emptyTree)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(emptyTree);
        _free = emptyTree;
        Version = pools.Version;
        PoolSize = pools.Count;
        Pools = pools;

        var taken = allocated.Where(a => a.Version == Version).Select(a => a.Value).Order().ToArray();
        var t = 0;
        foreach (var (first, last) in pools.RawRanges)
        {
            var start = first;
            var done = false;
            while (t < taken.Length && taken[t] < start)
            {
                t++;
            }

            for (; t < taken.Length && taken[t] <= last; t++)
            {
                if (taken[t] > start)
                {
                    _free.Append(start, taken[t] - 1);
                }

                if (taken[t] == last)
                {
                    done = true;
                    t++;
                    break;
                }

                start = taken[t] + 1;
            }

            if (!done)
            {
                _free.Append(start, last);
            }
        }
    }

    public IpVersion Version { get; }

    /// <summary>The pools this index was built for.</summary>
    public RangeSet Pools { get; }

    /// <summary>The number of addresses in the allocation pools.</summary>
    public UInt128 PoolSize { get; }

    /// <summary>The number of free pool addresses.</summary>
    public UInt128 FreeCount => _free.Count;

    /// <summary>An upper bound of the bytes the index holds.</summary>
    public long ApproximateBytes => _free.ApproximateBytes;

    /// <summary>Removes and returns the free address at ascending position <paramref name="index"/>.</summary>
    public IpAddress TakeAt(UInt128 index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FreeCount);
        var position = _free.FindByRank(index, out var offset);
        var value = _free[position].First + offset;
        RemoveFrom(position, value);
        return new IpAddress(Version, value);
    }

    /// <summary>Removes and returns the lowest free address.</summary>
    public IpAddress TakeLowest() => TakeAt(0);

    /// <summary>Marks <paramref name="address"/> as allocated; false when it was not free in the pools.</summary>
    public bool Remove(IpAddress address)
    {
        if (Locate(address) is not { } position)
        {
            return false;
        }

        RemoveFrom(position, address.Value);
        return true;
    }

    public bool IsFree(IpAddress address) => Locate(address) is not null;

    /// <summary>How many free addresses lie in <paramref name="range"/>, in O(log n) however wide it is.</summary>
    public UInt128 CountFree(AddressRange range) =>
        range.Version == Version ? _free.CountBetween(range.First.Value, range.Last.Value) : 0;

    /// <summary>Returns <paramref name="address"/> to the free set; false when it is outside the pools or already free.</summary>
    public bool Add(IpAddress address)
    {
        if (!Pools.Contains(address) || IsFree(address))
        {
            return false;
        }

        var value = address.Value;
        var previous = _free.FindAtOrBefore(value);
        var next = previous is { } p ? CountedRangeTree.After(p) : _free.Lowest;
        var joinsPrevious = previous is { } before && _free[before].Last + 1 == value;
        var joinsNext = next is { } after && _free[after].First == value + 1;

        if (joinsPrevious && joinsNext)
        {
            var last = _free[next!.Value].Last;
            _free.RemoveAt(next.Value);
            var merged = _free.FindAtOrBefore(value)!.Value;
            _free.Set(merged, _free[merged].First, last);
        }
        else if (joinsPrevious)
        {
            _free.Set(previous!.Value, _free[previous.Value].First, value);
        }
        else if (joinsNext)
        {
            _free.Set(next!.Value, value, _free[next.Value].Last);
        }
        else
        {
            _free.InsertAfter(previous, value, value);
        }

        return true;
    }

    /// <summary>The free addresses as ranges, ascending; for tests and diagnostics.</summary>
    public IEnumerable<AddressRange> FreeRanges() =>
        _free.Ranges().Select(r => new AddressRange(new IpAddress(Version, r.First), new IpAddress(Version, r.Last)));

    /// <summary>Throws when the tree behind the index is inconsistent; the number of leaves and the height, for tests.</summary>
    internal (int Leaves, int Height) CheckStructure() => _free.CheckStructure();

    /// <summary>The free range holding <paramref name="address"/>, or null when it is not free.</summary>
    private RangePosition? Locate(IpAddress address)
    {
        if (address.Version != Version || _free.FindAtOrBefore(address.Value) is not { } position)
        {
            return null;
        }

        return address.Value <= _free[position].Last ? position : null;
    }

    private void RemoveFrom(RangePosition position, UInt128 value)
    {
        var (first, last) = _free[position];
        if (first == last)
        {
            _free.RemoveAt(position);
        }
        else if (value == first)
        {
            _free.Set(position, first + 1, last);
        }
        else if (value == last)
        {
            _free.Set(position, first, last - 1);
        }
        else
        {
            _free.Set(position, first, value - 1);
            _free.InsertAfter(position, value + 1, last);
        }
    }
}
