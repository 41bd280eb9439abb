using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Benchmarks.Harness;
using Ipam.Subnets;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// The free-range index alone (no database): build time, memory, and the cost of a random and of a next-free
/// pick as allocations accumulate, in a /16, a /8 and an IPv6 /64. This is the part of a request that could
/// grow with fill level; everything else is a fixed number of statements and one commit.
/// </summary>
internal static class IndexWorkload
{
    public static Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var picks = context.Quick ? 20_000 : 200_000;
        long big = context.Quick ? 100_000 : 1_000_000;
        var cases = new (string Label, string Cidr, long[] Allocated)[]
        {
            ("IPv4 /16", "10.0.0.0/16", [0, 32_766, 64_877]),
            ("IPv4 /8", "10.0.0.0/8", [0, big / 10, big]),
            ("IPv6 /64", "2001:db8::/64", [0, big / 10, big]),
        };
        var report = new WorkloadReport("index", "The free-range index in memory");
        var table = report.AddTable($"FreeRangeIndex: build, memory and pick cost ({Stats.Integer(picks)} picks per row, each taken address returned afterwards)",
            "subnet", "allocated", "free ranges", "build ms", "index MB", "random pick ns", "next-free pick ns", "return (release) ns");
        var data = new List<object>();
        var random = new Random(64);

        // JIT warm-up, so that the first row measures steady state.
        var warm = new FreeRangeIndex(RangeSet.Of(new AddressRange(IpAddress.Parse("10.0.0.1"), IpAddress.Parse("10.0.255.254"))), []);
        for (var pass = 0; pass < 3; pass++)
        {
            Pick(warm, random, 20_000, next: false);
            Pick(warm, random, 20_000, next: true);
            Thread.Sleep(200);
        }
        foreach (var (label, text, levels) in cases)
        {
            var cidr = Cidr.Parse(text);
            var pools = RangeSet.Of(cidr.Version, SubnetRules.DefaultPools(cidr, SubnetRules.DefaultGateway(cidr)));
            foreach (var count in levels)
            {
                var row = MeasureLevel(random, pools, count, picks);
                table.Add(label, Stats.Integer(count), Stats.Integer(row.Ranges), Stats.Milliseconds(row.Build), Stats.Megabytes(row.Heap),
                    Nanoseconds(row.RandomPick), Nanoseconds(row.NextPick), Nanoseconds(row.Release));
                data.Add(new { subnet = text, allocated = count, free_ranges = row.Ranges, build_seconds = row.Build, heap_bytes = row.Heap, random_pick_seconds = row.RandomPick, next_pick_seconds = row.NextPick, release_seconds = row.Release });
                context.Log.WriteLine($"  index {label} {Stats.Integer(count)} allocated: random pick {Nanoseconds(row.RandomPick)} ns, next {Nanoseconds(row.NextPick)} ns, {Stats.Integer(row.Ranges)} ranges");
            }
        }

        report.Notes.Add("Random allocations leave one free range per gap, so the number of ranges grows with allocations (never with subnet size). " +
            "A pick descends a B+ tree that counts the addresses under each node (≤ 128 ranges per leaf, ≤ 64 children per branch), so it costs O(log n) in the number of ranges; for scale, a durable commit on this machine takes 0.2 to 3 ms.");
        report.Data["rows"] = data;
        return Task.FromResult(report);
    }

    /// <summary>One row, in its own frame so that no earlier index is still reachable when the heap is measured.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Ranges, double Build, long Heap, double RandomPick, double NextPick, double Release) MeasureLevel(Random random, RangeSet pools, long count, int picks)
    {
        var allocated = RandomAddresses(random, pools, count);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var index = new FreeRangeIndex(pools, allocated);
        var build = watch.Elapsed.TotalSeconds;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        GC.KeepAlive(allocated);
        var ranges = index.FreeRanges().LongCount();
        var (randomPick, release) = Pick(index, random, picks, next: false);
        var (nextPick, _) = Pick(index, random, picks, next: true);
        return (ranges, build, heap, randomPick, nextPick, release);
    }

    private static string Nanoseconds(double seconds) => (seconds * 1e9).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Takes addresses in batches (timed), returning each batch to the index afterwards (timed separately).</summary>
    private static (double Take, double Return) Pick(FreeRangeIndex index, Random random, int picks, bool next)
    {
        var batch = (int)UInt128.Min(1000, UInt128.Max(1, index.FreeCount / 2));
        var taken = new IpAddress[batch];
        var takeTicks = 0L;
        var returnTicks = 0L;
        for (var done = 0; done < picks; done += batch)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch; i++)
            {
                taken[i] = next ? index.TakeLowest() : index.TakeAt(Below(random, index.FreeCount));
            }

            var middle = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch; i++)
            {
                index.Add(taken[i]);
            }

            returnTicks += Stopwatch.GetTimestamp() - middle;
            takeTicks += middle - start;
        }

        var rounds = (double)((picks + batch - 1) / batch * batch);
        return (takeTicks / (double)Stopwatch.Frequency / rounds, returnTicks / (double)Stopwatch.Frequency / rounds);
    }

    private static List<IpAddress> RandomAddresses(Random random, RangeSet pools, long count)
    {
        var chosen = new HashSet<UInt128>();
        while (chosen.Count < count)
        {
            chosen.Add(Below(random, pools.Count));
        }

        return [.. chosen.Select(pools.ElementAt)];
    }

    private static UInt128 Below(Random random, UInt128 bound)
    {
        var value = ((UInt128)(ulong)random.NextInt64(long.MinValue, long.MaxValue) << 64) | (ulong)random.NextInt64(long.MinValue, long.MaxValue);
        return value % bound;
    }
}
