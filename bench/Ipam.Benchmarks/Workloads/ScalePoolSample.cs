using Ipam.Addressing;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Draws addresses from allocation pools uniformly without replacement, in address order (selection sampling,
/// Knuth's algorithm S: each address is taken with probability wanted-left / addresses-left, which gives
/// exactly the number wanted), so a loader can append them to an index.
/// </summary>
internal static class ScalePoolSample
{
    /// <summary>Calls <paramref name="take"/> for each drawn address, ascending; returns the free ranges left in the pools.</summary>
    public static long Draw(IReadOnlyList<AddressRange> pools, long count, Random random, Action<IpAddress> take)
    {
        var left = pools.Aggregate(UInt128.Zero, (sum, pool) => sum + pool.Count);
        if ((UInt128)count > left)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"The pools hold {left} addresses, fewer than {count}.");
        }

        var wanted = (UInt128)count;
        var freeRanges = 0L;
        foreach (var pool in pools)
        {
            var previousFree = false;
            for (var value = pool.First.Value; ; value++)
            {
                var taken = wanted > 0 && (double)wanted / (double)left > random.NextDouble();
                if (taken)
                {
                    take(new IpAddress(pool.Version, value));
                    wanted--;
                }
                else if (!previousFree)
                {
                    freeRanges++;
                }

                previousFree = !taken;
                left--;
                if (value == pool.Last.Value)
                {
                    break;
                }
            }
        }

        return freeRanges;
    }
}
