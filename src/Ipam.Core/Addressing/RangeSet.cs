namespace Ipam.Addressing;

/// <summary>
/// An immutable set of addresses of one family, held as sorted, disjoint, non-adjacent inclusive ranges.
/// Every operation works on range ends, never on individual addresses, so a /64 costs what a /30 does.
/// </summary>
public sealed class RangeSet
{
    private readonly (UInt128 First, UInt128 Last)[] _ranges;

    private RangeSet(IpVersion version, (UInt128 First, UInt128 Last)[] normalizedRanges)
    {
        Version = version;
        _ranges = normalizedRanges;
        UInt128 count = 0;
        foreach (var (first, last) in _ranges)
        {
            count = checked(count + (last - first + 1));
        }

        Count = count;
    }

    public IpVersion Version { get; }

    /// <summary>The number of addresses in the set.</summary>
    public UInt128 Count { get; }

    public bool IsEmpty => _ranges.Length == 0;

    public IReadOnlyList<AddressRange> Ranges =>
        Array.ConvertAll(_ranges, r => new AddressRange(new IpAddress(Version, r.First), new IpAddress(Version, r.Last)));

    internal ReadOnlySpan<(UInt128 First, UInt128 Last)> RawRanges => _ranges;

    public static RangeSet Empty(IpVersion version) => new(version, []);

    public static RangeSet Of(IpVersion version, IEnumerable<AddressRange> ranges)
    {
        var raw = new List<(UInt128, UInt128)>();
        foreach (var range in ranges)
        {
            if (range.Version != version)
            {
                throw new ArgumentException($"Range {range} is not IPv{(int)version}.", nameof(ranges));
            }

            raw.Add((range.First.Value, range.Last.Value));
        }

        return new RangeSet(version, Normalize(raw));
    }

    public static RangeSet Of(AddressRange range) => Of(range.Version, [range]);

    public bool Contains(IpAddress address)
    {
        if (address.Version != Version)
        {
            return false;
        }

        var index = IndexOfRangeAtOrBefore(address.Value);
        return index >= 0 && address.Value <= _ranges[index].Last;
    }

    /// <summary>True when every address of <paramref name="range"/> is in the set.</summary>
    public bool Contains(AddressRange range)
    {
        if (range.Version != Version)
        {
            return false;
        }

        var index = IndexOfRangeAtOrBefore(range.First.Value);
        return index >= 0 && range.Last.Value <= _ranges[index].Last;
    }

    /// <summary>The address at zero-based position <paramref name="index"/> in ascending order.</summary>
    public IpAddress ElementAt(UInt128 index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        foreach (var (first, last) in _ranges)
        {
            var size = last - first + 1;
            if (index < size)
            {
                return new IpAddress(Version, first + index);
            }

            index -= size;
        }

        throw new InvalidOperationException("Unreachable: index was checked against Count.");
    }

    public RangeSet Union(RangeSet other)
    {
        CheckVersion(other);
        return new RangeSet(Version, Normalize([.. _ranges, .. other._ranges]));
    }

    public RangeSet Except(RangeSet other)
    {
        CheckVersion(other);
        var result = new List<(UInt128, UInt128)>();
        var j = 0;
        foreach (var (first, last) in _ranges)
        {
            var start = first;
            var exhausted = false;
            while (j < other._ranges.Length && other._ranges[j].Last < start)
            {
                j++;
            }

            for (var k = j; k < other._ranges.Length && other._ranges[k].First <= last; k++)
            {
                var (cutFirst, cutLast) = other._ranges[k];
                if (cutFirst > start)
                {
                    result.Add((start, cutFirst - 1));
                }

                if (cutLast >= last)
                {
                    exhausted = true;
                    break;
                }

                start = cutLast + 1;
            }

            if (!exhausted)
            {
                result.Add((start, last));
            }
        }

        return new RangeSet(Version, [.. result]);
    }

    public RangeSet Except(IpAddress address) => Except(Of(new AddressRange(address, address)));

    public RangeSet Intersect(RangeSet other)
    {
        CheckVersion(other);
        var result = new List<(UInt128, UInt128)>();
        int i = 0, j = 0;
        while (i < _ranges.Length && j < other._ranges.Length)
        {
            var first = UInt128.Max(_ranges[i].First, other._ranges[j].First);
            var last = UInt128.Min(_ranges[i].Last, other._ranges[j].Last);
            if (first <= last)
            {
                result.Add((first, last));
            }

            if (_ranges[i].Last < other._ranges[j].Last)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return new RangeSet(Version, [.. result]);
    }

    /// <summary>
    /// The set as the shortest list of CIDRs that covers exactly its addresses, in ascending order (netaddr's
    /// <c>IPSet.iter_cidrs</c>). Costs one step per CIDR, never one per address.
    /// </summary>
    public IReadOnlyList<Cidr> ToCidrs()
    {
        var cidrs = new List<Cidr>();
        foreach (var (first, last) in _ranges)
        {
            AddressRange.AppendCidrs(Version, first, last, cidrs);
        }

        return cidrs;
    }

    public override string ToString() => string.Join(", ", Ranges);

    private int IndexOfRangeAtOrBefore(UInt128 value) => SortedRanges.LastStartingAtOrBefore(_ranges, value);

    private void CheckVersion(RangeSet other)
    {
        if (other.Version != Version)
        {
            throw new ArgumentException("Sets of different IP versions cannot be combined.", nameof(other));
        }
    }

    private static (UInt128 First, UInt128 Last)[] Normalize(List<(UInt128 First, UInt128 Last)> ranges)
    {
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = new List<(UInt128 First, UInt128 Last)>(ranges.Count);
        foreach (var range in ranges)
        {
            if (merged.Count > 0)
            {
                var previous = merged[^1];
                var touches = previous.Last == UInt128.MaxValue || range.First <= previous.Last + 1;
                if (touches)
                {
                    merged[^1] = (previous.First, UInt128.Max(previous.Last, range.Last));
                    continue;
                }
            }

            merged.Add(range);
        }

        return [.. merged];
    }
}
