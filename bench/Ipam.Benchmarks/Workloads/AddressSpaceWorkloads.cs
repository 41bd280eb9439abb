using System.Diagnostics;
using System.Globalization;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// IPv6 /64 random and EUI-64 allocations beside random allocations in an IPv4 /24, alternated in small
/// slices with raw commits; durable, and again with fsync off (the allocator's own cost).
/// </summary>
internal static class Ipv6Workload
{
    private static readonly string[] Kinds = ["IPv4 /24 random", "IPv6 /64 random", "IPv6 /64 EUI-64"];

    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var report = new WorkloadReport("ipv6", "IPv6 /64 (random, EUI-64) vs IPv4 /24");
        var rounds = context.Quick ? 3 : 8;
        var durable = await MeasureAsync(context, context.Durable, rounds, context.Quick ? 30 : 60);
        AddTable(report, $"SQLite {FillWorkload.Sync(context.Durable)}, {rounds} rounds of {(context.Quick ? 30 : 60)} requests per kind", durable);
        var cpu = context.Durable ? await MeasureAsync(context, false, context.Quick ? 3 : 5, context.Quick ? 200 : 1000) : durable;
        if (context.Durable)
        {
            AddTable(report, $"SQLite synchronous=NORMAL (no fsync: the allocator's and SQLite's CPU cost), {(context.Quick ? 3 : 5)} rounds of {(context.Quick ? 200 : 1000)}", cpu);
        }

        report.Notes.Add("Service layer. Each round allocates on a fresh IPv4 /24 and on one IPv6 /64 (which keeps filling) in turn, the order rotated each round, after a slice of raw commits. " +
            "EUI-64 requests carry a distinct MAC each. Cost vs IPv4 /24 = (IPv4 allocs/s) / (this kind's allocs/s), per round, median.");
        var random = durable.CostRatios[1];
        var eui = durable.CostRatios[2];
        var met = random <= 1.2 && eui <= 1.2;
        report.Goals.Add(new Goal("IPv6 /64 cost vs IPv4 /24", "within 1.2×",
            $"random {Stats.Times(random)}, EUI-64 {Stats.Times(eui)} (no fsync: random {Stats.Times(cpu.CostRatios[1])}, EUI-64 {Stats.Times(cpu.CostRatios[2])})", met,
            met ? null : "see the no-fsync table for the allocator's own share"));
        report.Data["durable"] = durable;
        report.Data["no_fsync"] = cpu;
        return report;
    }

    private static void AddTable(WorkloadReport report, string title, Ipv6Result result)
    {
        var table = report.AddTable(title, "kind", "allocs/s", "raw commits/s", "ratio to raw", "cost vs IPv4 /24");
        for (var k = 0; k < Kinds.Length; k++)
        {
            table.Add(Kinds[k], Stats.Rate(result.Rates[k]), Stats.Rate(result.Raw), Stats.Ratio(result.Rates[k] / result.Raw), Stats.Times(result.CostRatios[k]));
        }
    }

    private static async Task<Ipv6Result> MeasureAsync(BenchContext context, bool durable, int rounds, int perSlice)
    {
        await using var ipam = await IpamInstance.StartSqliteAsync(context.NewDirectory(durable ? "ipv6" : "ipv6-nofsync"), durable);
        using var raw = ipam.RawProbe();
        await FillWorkload.WarmUpAsync(ipam, raw);
        var v6 = await ipam.CreateSubnetAsync("2001:db8::/64");
        var rates = Kinds.Select(_ => new List<double>()).ToArray();
        var rawRates = new List<double>();
        long mac = 0;
        var v4Count = 0;
        for (var round = 0; round < rounds; round++)
        {
            // Fresh /24s for the IPv4 slice (at most 200 allocations each), each warmed by one untimed
            // allocation so that the timed requests find its index cached, as the /64's are.
            var v4 = new List<Guid>();
            for (var i = 0; i < (perSlice + 199) / 200; i++, v4Count++)
            {
                var subnet = await ipam.CreateSubnetAsync($"10.{v4Count / 256}.{v4Count % 256}.0/24");
                await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "warm" });
                v4.Add(subnet.Id);
            }

            rawRates.Add(raw.Measure(Math.Max(10, perSlice / 2)));
            for (var i = 0; i < Kinds.Length; i++)
            {
                var k = (i + round) % Kinds.Length;
                var watch = Stopwatch.StartNew();
                for (var n = 0; n < perSlice; n++)
                {
                    var request = k switch
                    {
                        0 or 1 => new AllocationRequest { Owner = "bench" },
                        _ => new AllocationRequest { MacAddress = Mac(++mac), Owner = "bench" },
                    };
                    await ipam.Allocations.AllocateAsync(k == 0 ? v4[n / 200] : v6.Id, request);
                }

                rates[k].Add(perSlice / watch.Elapsed.TotalSeconds);
            }
        }

        var costRatios = Enumerable.Range(0, Kinds.Length).Select(k => Stats.Median(rates[0].Zip(rates[k], (v4, x) => v4 / x))).ToArray();
        context.Log.WriteLine($"  ipv6 ({FillWorkload.Sync(durable)}): " + string.Join(", ", Kinds.Select((name, k) => $"{name} {Stats.Rate(Stats.Median(rates[k]))}/s")));
        return new Ipv6Result([.. rates.Select(Stats.Median)], Stats.Median(rawRates), costRatios, [.. rates.Select(r => (IReadOnlyList<double>)r)], rawRates);
    }

    private static MacAddress Mac(long n)
    {
        var text = string.Join(':', Enumerable.Range(0, 6).Select(i => ((((ulong)n | 0x0200_0000_0000UL) >> (40 - (8 * i))) & 0xFF).ToString("x2", CultureInfo.InvariantCulture)));
        return MacAddress.TryParse(text, out var mac) ? mac : throw new InvalidOperationException(text);
    }
}

internal sealed record Ipv6Result(IReadOnlyList<double> Rates, double Raw, IReadOnlyList<double> CostRatios, IReadOnlyList<IReadOnlyList<double>> RoundRates, IReadOnlyList<double> RawRates);

/// <summary>
/// p50 and p99 latency of one random allocation at fixed fill levels of a /24, a /16 and an IPv6 /64: the
/// subnet is filled to the level by bulk requests, then each sample allocates one address (timed) and
/// releases it again (untimed), so the level stays put; a raw commit is timed beside every sample.
/// </summary>
internal static class LatencyWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var samples = context.Int("--samples", context.Quick ? 40 : 300);
        var report = new WorkloadReport("latency", "Allocation latency by fill level");
        long[] v6Counts = context.Quick ? [0, 1_000, 10_000] : [0, 10_000, 100_000];
        var targets = new (string Label, string Cidr, double[] Levels, long[] Counts)[]
        {
            ("IPv4 /24", "10.1.0.0/24", [0, 0.5, 0.9, 0.99], []),
            ("IPv4 /16", "10.2.0.0/16", [0, 0.5, 0.9, 0.99], []),
            ("IPv6 /64", "2001:db8:1::/64", [], v6Counts),
        };
        var table = report.AddTable($"Latency of one random allocation (service layer, SQLite {FillWorkload.Sync(context.Durable)}, {samples} samples per level)",
            "subnet", "fill", "allocated", "p50 ms", "p99 ms", "mean allocs/s", "raw p50 ms", "raw p99 ms", "p50 vs raw p50");
        var data = new List<object>();
        await using (var ipam = await IpamInstance.StartSqliteAsync(context.NewDirectory("latency"), context.Durable))
        {
            using var raw = ipam.RawProbe();
            await FillWorkload.WarmUpAsync(ipam, raw);
            foreach (var target in targets)
            {
                var cidr = Cidr.Parse(target.Cidr);
                var subnet = await ipam.CreateSubnetAsync(target.Cidr);
                var pool = cidr.Version == IpVersion.V4 ? FillRunner.PoolSize(cidr) : long.MaxValue;
                var levels = target.Levels.Length > 0
                    ? target.Levels.Select(l => (Label: Stats.Percent(l), Count: (long)Math.Ceiling(l * pool))).ToArray()
                    : target.Counts.Select(c => (Label: "-", Count: c)).ToArray();
                long allocated = 0;
                foreach (var (label, count) in levels)
                {
                    await ipam.FillAsync(subnet.Id, count - allocated);
                    allocated = count;
                    var latencies = new List<double>(samples);
                    var rawLatencies = new List<double>(samples);
                    for (var i = 0; i < samples; i++)
                    {
                        rawLatencies.Add(raw.Latency());
                        var start = Stopwatch.GetTimestamp();
                        var result = await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "latency" });
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                        await ipam.Allocations.ReleaseAsync(subnet.Id, result[0].Address);
                    }

                    var p50 = Stats.Percentile(latencies, 50);
                    var rawP50 = Stats.Percentile(rawLatencies, 50);
                    table.Add(target.Label, label, Stats.Integer(allocated), Stats.Milliseconds(p50), Stats.Milliseconds(Stats.Percentile(latencies, 99)),
                        Stats.Rate(latencies.Count / latencies.Sum()), Stats.Milliseconds(rawP50), Stats.Milliseconds(Stats.Percentile(rawLatencies, 99)), Stats.Ratio(p50 / rawP50));
                    context.Log.WriteLine($"  latency {target.Label} {label} ({Stats.Integer(allocated)} allocated): p50 {Stats.Milliseconds(p50)} ms, p99 {Stats.Milliseconds(Stats.Percentile(latencies, 99))} ms");
                    data.Add(new { subnet = target.Cidr, level = label, allocated, latencies_seconds = latencies, raw_latencies_seconds = rawLatencies });
                }
            }
        }

        report.Notes.Add("A fill level is a share of the pool (the /24's pool is 253 addresses, the /16's 65,533). A /64's pool has 2^64 − 2 addresses, so any number of allocations " +
            "this side of 10^17 leaves it at 0% to a dozen decimal places: the /64 rows give the number of allocations made instead. What could grow with it is the free-range index, " +
            "which holds one range per gap between allocations; the rows show that it does not show up in latency.");
        report.Goals.Add(new Goal("p50 and p99 latency at 0/50/90/99% of a /24 and a /16, and for a /64", "published", $"{table.Rows.Count} rows, {samples} samples each", true));
        report.Data["samples"] = data;
        return report;
    }
}
