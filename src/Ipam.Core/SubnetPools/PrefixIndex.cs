namespace Ipam.SubnetPools;

/// <summary>
/// The free space of a subnet pool as a buddy system: the maximal aligned CIDR blocks that are entirely free,
/// in one address-sorted free list per prefix length. Every operation walks at most the family width of
/// lists (32 or 128) with a logarithmic step in each, so allocating from an empty /8, a /8 holding
/// thousands of subnets or an IPv6 /32 costs about the same; candidate prefixes are never enumerated.
/// </summary>
/// <remarks>
/// <para>
/// Policy (Neutron's subnet allocator): a request for a /L takes the lowest /L of the <em>smallest</em> free
/// block that can hold it (the longest free prefix ≤ L; the lowest address among equals). Small holes are
/// used up first and large blocks stay whole for large requests. The unused halves of a split block go
/// back to the free lists, and a released block merges with its free buddy, so the lists always hold
/// exactly the minimal CIDR decomposition of the free space: the same blocks, in the same order, that
/// Neutron's <c>IPSet(pool) - allocated</c> sorted by prefix length yields.
/// </para>
/// <para>A cache of what the database holds, rebuilt from it on demand. Not thread-safe; callers lock.</para>
/// </remarks>
internal sealed class PrefixIndex
{
    private readonly SortedSet<UInt128>[] _free;
    private readonly int _bits;

    public PrefixIndex(RangeSet prefixes, IEnumerable<Cidr> allocated)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(allocated);
        Version = prefixes.Version;
        Prefixes = prefixes;
        _bits = IpFamily.Of(Version).Bits;
        _free = new SortedSet<UInt128>[_bits + 1];
        for (var length = 0; length <= _bits; length++)
        {
            _free[length] = [];
        }

        var taken = RangeSet.Of(Version, allocated.Where(c => c.Version == Version).Select(c => c.Range));
        foreach (var block in prefixes.Except(taken).ToCidrs())
        {
            _free[block.PrefixLength].Add(block.Network.Value);
        }
    }

    public IpVersion Version { get; }

    /// <summary>The pool prefixes this index was built for.</summary>
    public RangeSet Prefixes { get; }

    /// <summary>The number of free blocks, that is the length of the minimal CIDR list of the free space.</summary>
    public int BlockCount => _free.Sum(list => list.Count);

    /// <summary>
    /// Takes the lowest /<paramref name="prefixLength"/> of the smallest free block that can hold one, or
    /// returns null when no free block is large enough.
    /// </summary>
    public Cidr? TakeBestFit(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, _bits);
        for (var length = prefixLength; length >= 0; length--)
        {
            var list = _free[length];
            if (list.Count == 0)
            {
                continue;
            }

            var network = list.Min;
            list.Remove(network);
            for (var split = length + 1; split <= prefixLength; split++)
            {
                _free[split].Add(network | Bit(split));
            }

            return new Cidr(new IpAddress(Version, network), prefixLength);
        }

        return null;
    }

    /// <summary>Takes <paramref name="cidr"/> if every address of it is free; false (and no change) otherwise.</summary>
    public bool TryTake(Cidr cidr)
    {
        if (cidr.Version != Version)
        {
            return false;
        }

        var target = cidr.Network.Value;
        for (var length = cidr.PrefixLength; length >= 0; length--)
        {
            var block = Cidr.Containing(cidr.Network, length).Network.Value;
            if (!_free[length].Remove(block))
            {
                continue;
            }

            // Split the block down to the target, returning the half that does not hold it at each level.
            for (var split = length + 1; split <= cidr.PrefixLength; split++)
            {
                _free[split].Add((target & Mask(split)) ^ Bit(split));
            }

            return true;
        }

        return false;
    }

    /// <summary>True when every address of <paramref name="cidr"/> is free.</summary>
    public bool IsFree(Cidr cidr)
    {
        if (cidr.Version != Version)
        {
            return false;
        }

        for (var length = cidr.PrefixLength; length >= 0; length--)
        {
            if (_free[length].Contains(Cidr.Containing(cidr.Network, length).Network.Value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns an allocated block to the free space, merging it with its free buddy as far as possible. Returns
    /// false, changing nothing, when the block lies outside the pool or any part of it is already free (the
    /// index then disagrees with the caller and should be rebuilt).
    /// </summary>
    public bool Release(Cidr cidr)
    {
        if (cidr.Version != Version || !Prefixes.Contains(cidr.Range) || OverlapsFree(cidr))
        {
            return false;
        }

        var network = cidr.Network.Value;
        var length = cidr.PrefixLength;
        while (length > 0 && _free[length].Remove(Buddy(network, length)))
        {
            network &= ~Bit(length);
            length--;
        }

        _free[length].Add(network);
        return true;
    }

    /// <summary>The free space as the minimal CIDR list, ascending by address.</summary>
    public IReadOnlyList<Cidr> FreeBlocks()
    {
        var blocks = new List<Cidr>(BlockCount);
        for (var length = 0; length <= _bits; length++)
        {
            blocks.AddRange(_free[length].Select(network => new Cidr(new IpAddress(Version, network), length)));
        }

        blocks.Sort((a, b) => a.Network.Value.CompareTo(b.Network.Value));
        return blocks;
    }

    private bool OverlapsFree(Cidr cidr)
    {
        if (IsFree(cidr))
        {
            return true;
        }

        var first = cidr.First.Value;
        var last = cidr.Last.Value;
        for (var length = cidr.PrefixLength + 1; length <= _bits; length++)
        {
            var list = _free[length];
            if (list.Count > 0 && list.Min <= last && list.Max >= first && list.GetViewBetween(first, last).Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The address bit that tells the two halves of a /(length-1) apart: the last network bit of a /length.</summary>
    private UInt128 Bit(int length) => UInt128.One << (_bits - length);

    private UInt128 Buddy(UInt128 network, int length) => network ^ Bit(length);

    /// <summary>The network bits of a /length (length ≥ 1).</summary>
    private UInt128 Mask(int length) => ~(Bit(length) - 1);
}
