using Ipam.Addressing;

namespace Ipam.Allocations;

/// <summary>
/// The free addresses of a subnet's allocation pools as sorted disjoint ranges, grouped into chunks that
/// cache their address counts. Finding the k-th free address walks chunk counts and then one chunk, so
/// a pick costs the same whether the subnet is empty or has one address left, and memory grows with the
/// number of free ranges (that is, with allocations), never with the size of the subnet.
/// </summary>
/// <remarks>
/// A cache of what the database holds: it can always be rebuilt from the pools and the allocation rows.
/// Not thread-safe; callers lock.
/// </remarks>
public sealed class FreeRangeIndex
{
    private const int MaxChunkRanges = 128;

    private readonly List<Chunk> _chunks = [];

    public FreeRangeIndex(RangeSet pools, IEnumerable<IpAddress> allocated)
    {
        ArgumentNullException.ThrowIfNull(pools);
        Version = pools.Version;
        PoolSize = pools.Count;
        Pools = pools;

        var taken = allocated.Where(a => a.Version == Version).Select(a => a.Value).Order().ToArray();
        var t = 0;
        var current = new Chunk();
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
                    Append(ref current, start, taken[t] - 1);
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
                Append(ref current, start, last);
            }
        }

        if (current.Ranges.Count > 0)
        {
            _chunks.Add(current);
        }
    }

    public IpVersion Version { get; }

    /// <summary>The pools this index was built for.</summary>
    public RangeSet Pools { get; }

    /// <summary>The number of addresses in the allocation pools.</summary>
    public UInt128 PoolSize { get; }

    /// <summary>The number of free pool addresses.</summary>
    public UInt128 FreeCount { get; private set; }

    /// <summary>Removes and returns the free address at ascending position <paramref name="index"/>.</summary>
    public IpAddress TakeAt(UInt128 index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FreeCount);
        var c = 0;
        while (index >= _chunks[c].Count)
        {
            index -= _chunks[c].Count;
            c++;
        }

        var ranges = _chunks[c].Ranges;
        var r = 0;
        while (index >= ranges[r].Last - ranges[r].First + 1)
        {
            index -= ranges[r].Last - ranges[r].First + 1;
            r++;
        }

        var value = ranges[r].First + index;
        RemoveFrom(c, r, value);
        return new IpAddress(Version, value);
    }

    /// <summary>Removes and returns the lowest free address.</summary>
    public IpAddress TakeLowest() => TakeAt(0);

    /// <summary>Marks <paramref name="address"/> as allocated; false when it was not free in the pools.</summary>
    public bool Remove(IpAddress address)
    {
        if (!TryLocate(address, out var c, out var r))
        {
            return false;
        }

        RemoveFrom(c, r, address.Value);
        return true;
    }

    public bool IsFree(IpAddress address) => TryLocate(address, out _, out _);

    /// <summary>Returns <paramref name="address"/> to the free set; false when it is outside the pools or already free.</summary>
    public bool Add(IpAddress address)
    {
        if (!Pools.Contains(address) || IsFree(address))
        {
            return false;
        }

        var value = address.Value;
        var c = ChunkAtOrBefore(value);
        if (c < 0)
        {
            c = 0;
            if (_chunks.Count == 0)
            {
                _chunks.Add(new Chunk());
            }
        }

        var ranges = _chunks[c].Ranges;
        var r = RangeAtOrBefore(ranges, value);
        var joinsPrevious = r >= 0 && ranges[r].Last + 1 == value;
        var (nextChunk, nextRange) = r + 1 < ranges.Count ? (c, r + 1) : (c + 1, 0);
        var joinsNext = nextChunk < _chunks.Count && _chunks[nextChunk].Ranges.Count > 0 &&
                        _chunks[nextChunk].Ranges[nextRange].First == value + 1;

        if (joinsPrevious && joinsNext)
        {
            var next = _chunks[nextChunk].Ranges[nextRange];
            _chunks[nextChunk].Ranges.RemoveAt(nextRange);
            _chunks[nextChunk].Count -= next.Last - next.First + 1;
            ranges[r] = (ranges[r].First, next.Last);
            _chunks[c].Count += next.Last - next.First + 1 + 1;
            DropIfEmpty(nextChunk);
        }
        else if (joinsPrevious)
        {
            ranges[r] = (ranges[r].First, value);
            _chunks[c].Count += 1;
        }
        else if (joinsNext)
        {
            var next = _chunks[nextChunk].Ranges[nextRange];
            _chunks[nextChunk].Ranges[nextRange] = (value, next.Last);
            _chunks[nextChunk].Count += 1;
        }
        else
        {
            ranges.Insert(r + 1, (value, value));
            _chunks[c].Count += 1;
            SplitIfFull(c);
        }

        FreeCount += 1;
        return true;
    }

    /// <summary>The free addresses as ranges, ascending; for tests and diagnostics.</summary>
    public IEnumerable<AddressRange> FreeRanges() =>
        _chunks.SelectMany(chunk => chunk.Ranges)
            .Select(r => new AddressRange(new IpAddress(Version, r.First), new IpAddress(Version, r.Last)));

    private void Append(ref Chunk chunk, UInt128 first, UInt128 last)
    {
        if (chunk.Ranges.Count == MaxChunkRanges / 2)
        {
            _chunks.Add(chunk);
            chunk = new Chunk();
        }

        chunk.Ranges.Add((first, last));
        chunk.Count += last - first + 1;
        FreeCount += last - first + 1;
    }

    private bool TryLocate(IpAddress address, out int chunkIndex, out int rangeIndex)
    {
        rangeIndex = -1;
        chunkIndex = address.Version == Version ? ChunkAtOrBefore(address.Value) : -1;
        if (chunkIndex < 0)
        {
            return false;
        }

        var ranges = _chunks[chunkIndex].Ranges;
        rangeIndex = RangeAtOrBefore(ranges, address.Value);
        return rangeIndex >= 0 && address.Value <= ranges[rangeIndex].Last;
    }

    private void RemoveFrom(int c, int r, UInt128 value)
    {
        var chunk = _chunks[c];
        var (first, last) = chunk.Ranges[r];
        if (first == last)
        {
            chunk.Ranges.RemoveAt(r);
        }
        else if (value == first)
        {
            chunk.Ranges[r] = (first + 1, last);
        }
        else if (value == last)
        {
            chunk.Ranges[r] = (first, last - 1);
        }
        else
        {
            chunk.Ranges[r] = (first, value - 1);
            chunk.Ranges.Insert(r + 1, (value + 1, last));
        }

        chunk.Count -= 1;
        FreeCount -= 1;
        DropIfEmpty(c);
        SplitIfFull(c);
    }

    private void DropIfEmpty(int c)
    {
        if (c < _chunks.Count && _chunks[c].Ranges.Count == 0)
        {
            _chunks.RemoveAt(c);
        }
    }

    private void SplitIfFull(int c)
    {
        if (c >= _chunks.Count || _chunks[c].Ranges.Count <= MaxChunkRanges)
        {
            return;
        }

        var chunk = _chunks[c];
        var half = chunk.Ranges.Count / 2;
        var tail = new Chunk();
        tail.Ranges.AddRange(chunk.Ranges.GetRange(half, chunk.Ranges.Count - half));
        chunk.Ranges.RemoveRange(half, chunk.Ranges.Count - half);
        foreach (var (first, last) in tail.Ranges)
        {
            tail.Count += last - first + 1;
        }

        chunk.Count -= tail.Count;
        _chunks.Insert(c + 1, tail);
    }

    private int ChunkAtOrBefore(UInt128 value)
    {
        int lo = 0, hi = _chunks.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_chunks[mid].Ranges[0].First <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private static int RangeAtOrBefore(List<(UInt128 First, UInt128 Last)> ranges, UInt128 value)
    {
        int lo = 0, hi = ranges.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (ranges[mid].First <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private sealed class Chunk
    {
        public List<(UInt128 First, UInt128 Last)> Ranges { get; } = [];

        public UInt128 Count { get; set; }
    }
}
