namespace Ipam.SubnetPools;

/// <summary>
/// A page of a pool's free space as the minimal CIDR list (the pool's prefixes minus its subnets), starting at an
/// address instead of the pool's start. It reads the subnets from that address on, in ascending order, only as
/// far as the page needs them, plus the one subnet that starts before it.
/// </summary>
/// <remarks>
/// The minimal CIDR list of a free range is its greedy decomposition from the range's first address, so a CIDR
/// of the whole list can only be recomputed from where its free range begins. That beginning is the later of
/// the start of the pool range holding the address and the end of the last subnet starting before the address
/// (subnets of a pool never overlap, so no other subnet lies between that one and the address). A free range
/// has at most two CIDRs per address bit, so decomposing it from its beginning costs a bounded number of steps.
/// </remarks>
internal static class FreePrefixWalk
{
    /// <summary>
    /// At most <paramref name="limit"/> CIDRs of the free space, ascending, each starting at or after
    /// <paramref name="from"/>.
    /// </summary>
    /// <param name="prefixes">The pool's prefixes.</param>
    /// <param name="from">Where the page starts.</param>
    /// <param name="before">The last subnet of the pool that starts before <paramref name="from"/>, or null.</param>
    /// <param name="subnetsFrom">The pool's subnets that start at or after <paramref name="from"/>, ascending.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public static async ValueTask<IReadOnlyList<Cidr>> PageAsync(
        RangeSet prefixes, UInt128 from, Cidr? before, IAsyncEnumerable<Cidr> subnetsFrom, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(subnetsFrom);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var page = new List<Cidr>();
        var ranges = prefixes.RawRanges.ToArray();
        var index = SortedRanges.LastStartingAtOrBefore(ranges, from);
        if (index < 0 || ranges[index].Last < from)
        {
            index++;
        }

        await using var subnets = subnetsFrom.GetAsyncEnumerator(cancellationToken);
        Cidr? next = before ?? await NextAsync(subnets).ConfigureAwait(false);
        for (; index < ranges.Length && page.Count < limit; index++)
        {
            var (start, last) = ranges[index];
            while (true)
            {
                while (next is { } passed && passed.Last.Value < start)
                {
                    next = await NextAsync(subnets).ConfigureAwait(false);
                }

                if (next is not { } subnet || subnet.First.Value > last)
                {
                    Append(prefixes.Version, start, last, from, limit, page);
                    break;
                }

                if (subnet.First.Value > start)
                {
                    Append(prefixes.Version, start, subnet.First.Value - 1, from, limit, page);
                }

                if (subnet.Last.Value >= last || page.Count == limit)
                {
                    break;
                }

                start = subnet.Last.Value + 1;
            }
        }

        return page;
    }

    private static async ValueTask<Cidr?> NextAsync(IAsyncEnumerator<Cidr> subnets) =>
        await subnets.MoveNextAsync().ConfigureAwait(false) ? subnets.Current : null;

    /// <summary>Appends the CIDRs of the free range first..last that start at or after from, up to the limit.</summary>
    private static void Append(IpVersion version, UInt128 first, UInt128 last, UInt128 from, int limit, List<Cidr> page)
    {
        if (last < from || page.Count == limit)
        {
            return;
        }

        var cidrs = new List<Cidr>();
        AddressRange.AppendCidrs(version, first, last, cidrs);
        page.AddRange(cidrs.Where(c => c.First.Value >= from).Take(limit - page.Count));
    }
}
