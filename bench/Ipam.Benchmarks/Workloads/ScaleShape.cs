using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// What the scale workload loads: one big IPv4 subnet holding a tenth of the allocations, at most half full; an
/// empty subnet of the same size beside it; and the rest spread evenly over small subnets (/24s while they hold
/// at most half of a /24, larger otherwise), laid out one after the other from 11.0.0.0.
/// </summary>
internal sealed record ScaleShape(long Allocations, int Subnets)
{
    public const int FullAllocations = 10_000_000;

    public const int FullSubnets = 100_000;

    /// <summary>From --allocations and --subnets; --quick makes it 100,000 over 1,000.</summary>
    public static ScaleShape From(BenchContext context) => new(
        context.Long("--allocations", context.Quick ? 100_000 : FullAllocations),
        context.Int("--subnets", context.Quick ? 1_000 : FullSubnets));

    public long BigAllocations => Allocations / 10;

    /// <summary>Every subnet but the big and the empty one.</summary>
    public int SmallSubnets => Math.Max(1, Subnets - 2);

    public long SmallAllocations => Allocations - BigAllocations;

    public string BigCidr => $"10.0.0.0/{PrefixFor(BigAllocations, 30)}";

    public string EmptyCidr => $"{Address(BigBase + BigSize)}/{PrefixFor(BigAllocations, 30)}";

    /// <summary>How many allocations small subnet <paramref name="index"/> gets: the remainder goes one each to the first.</summary>
    public int SmallAllocationsAt(int index) =>
        (int)(SmallAllocations / SmallSubnets) + (index < SmallAllocations % SmallSubnets ? 1 : 0);

    public string SmallCidr(int index)
    {
        var prefix = PrefixFor(SmallAllocationsAt(0), 24);
        return $"{Address(SmallBase + ((ulong)index << (32 - prefix)))}/{prefix}";
    }

    private const ulong BigBase = 10UL << 24;

    private const ulong SmallBase = 11UL << 24;

    private ulong BigSize => 1UL << (32 - PrefixFor(BigAllocations, 30));

    /// <summary>The longest IPv4 prefix (at most <paramref name="longest"/>) whose pool holds twice <paramref name="count"/>.</summary>
    private static int PrefixFor(long count, int longest)
    {
        // Network, broadcast and gateway are outside the default pools.
        var bits = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, (2 * count) + 2));
        return Math.Min(longest, 32 - Math.Max(bits, 2));
    }

    private static string Address(ulong value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return new IPAddress(bytes).ToString();
    }
}
