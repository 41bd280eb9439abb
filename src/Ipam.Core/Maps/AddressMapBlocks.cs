using System.Numerics;

namespace Ipam.Maps;

/// <summary>
/// A part of a subnet split into aligned blocks and counted: pool addresses by sweeping the pools, free ones from
/// the free-space index (O(log n) per block), and allocations outside the pools (few) from the allocation rows of
/// the gaps between the pools. Allocated pool addresses are the pool addresses that are neither free nor cooling.
/// </summary>
internal static class AddressMapBlocks
{
    public static async ValueTask<IReadOnlyList<AddressBlock>> CountAsync(
        IIpamSession session, FreeSpace space, Subnet subnet, Cidr within, int maxBlocks, CancellationToken cancellationToken)
    {
        var splitBits = Math.Min(BitOperations.Log2((uint)maxBlocks), within.HostBits);
        if (splitBits == 0 && within.HostBits == 128)
        {
            // 2^128 addresses: one more than a count can hold.
            throw ValidationException.InvalidRequest("blocks", $"{within} has 2^128 addresses, more than one block can count: ask for 2 blocks or more.");
        }

        var blockBits = within.HostBits - splitBits;
        var hostMask = blockBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - blockBits);
        var ranges = new AddressRange[1 << splitBits];
        for (var i = 0; i < ranges.Length; i++)
        {
            var first = within.First.Value + ((UInt128)i << blockBits);
            ranges[i] = new AddressRange(new IpAddress(within.Version, first), new IpAddress(within.Version, first + hostMask));
        }

        var outside = new UInt128[ranges.Length];
        foreach (var gap in OutsidePools(within.Range, subnet.PoolSet.Ranges))
        {
            foreach (var allocation in await AddressMapService.ListAllocationsInAsync(session, subnet.Id, gap, cancellationToken).ConfigureAwait(false))
            {
                outside[(int)((allocation.Address.Value - within.First.Value) >> blockBits)]++;
            }
        }

        var free = new UInt128[ranges.Length];
        IpAddress[] cooling;
        lock (space.Gate)
        {
            cooling = space.CoolingAddresses();
            for (var i = 0; i < ranges.Length; i++)
            {
                free[i] = space.Index.CountFree(ranges[i]);
            }
        }

        var pools = subnet.PoolSet.Ranges;
        var blocks = new AddressBlock[ranges.Length];
        int nextPool = 0, nextCooling = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            var range = ranges[i];
            var inPools = PoolAddressesIn(pools, range, ref nextPool);
            var coolingHere = CountIn(cooling, range, ref nextCooling);
            var poolFree = free[i] + coolingHere;
            blocks[i] = new AddressBlock(new Cidr(range.First, within.PrefixLength + splitBits), range.Count, inPools, inPools - poolFree + outside[i], poolFree);
        }

        return blocks;
    }

    /// <summary>
    /// The parts of <paramref name="within"/> outside the ascending <paramref name="pools"/>, ascending; computed from
    /// range ends, so that <paramref name="within"/> may be the whole IPv6 space, whose size no count holds.
    /// </summary>
    private static IEnumerable<AddressRange> OutsidePools(AddressRange within, IReadOnlyList<AddressRange> pools)
    {
        var version = within.Version;
        var next = within.First.Value;
        foreach (var pool in pools)
        {
            if (pool.Last < within.First)
            {
                continue;
            }

            if (pool.First > within.Last)
            {
                break;
            }

            if (pool.First.Value > next)
            {
                yield return new AddressRange(new IpAddress(version, next), new IpAddress(version, pool.First.Value - 1));
            }

            if (pool.Last.Value >= within.Last.Value)
            {
                yield break;
            }

            next = pool.Last.Value + 1;
        }

        yield return new AddressRange(new IpAddress(version, next), within.Last);
    }

    /// <summary>
    /// The pool addresses in <paramref name="range"/>; <paramref name="next"/> is the first pool that may still
    /// reach it, and moves past the pools that end before it (blocks come in ascending order).
    /// </summary>
    private static UInt128 PoolAddressesIn(IReadOnlyList<AddressRange> pools, AddressRange range, ref int next)
    {
        while (next < pools.Count && pools[next].Last < range.First)
        {
            next++;
        }

        UInt128 count = 0;
        for (var p = next; p < pools.Count && pools[p].First <= range.Last; p++)
        {
            var first = pools[p].First > range.First ? pools[p].First : range.First;
            var last = pools[p].Last < range.Last ? pools[p].Last : range.Last;
            count += last.Value - first.Value + 1;
        }

        return count;
    }

    /// <summary>How many of the ascending <paramref name="addresses"/> fall in <paramref name="range"/>, sweeping from <paramref name="next"/>.</summary>
    private static UInt128 CountIn(IpAddress[] addresses, AddressRange range, ref int next)
    {
        while (next < addresses.Length && addresses[next] < range.First)
        {
            next++;
        }

        var count = 0;
        while (next + count < addresses.Length && addresses[next + count] <= range.Last)
        {
            count++;
        }

        return (UInt128)count;
    }
}
