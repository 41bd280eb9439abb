using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// How a fill is timed. <see cref="Every"/>: every address is allocated by its own timed request. Otherwise
/// (sampled) the first and last 1% of the pool are allocated one per timed request, each tenth gets
/// <see cref="SamplesPerDecile"/> timed single requests in <see cref="SlicesPerDecile"/> slices spread
/// evenly across it, and the addresses in between are allocated by untimed bulk requests of the same
/// strategy, so every tenth is measured at its real fill level in a fraction of the time.
/// </summary>
internal sealed record FillPlan(bool Every, int SamplesPerDecile = 300, int SlicesPerDecile = 5, double RawShare = 0.5)
{
    public string Describe(long poolSize) => Every
        ? "every address by its own timed request"
        : $"first and last 1% ({Stats.Integer(Math.Max(1, poolSize / 100))} addresses each) and {SamplesPerDecile} requests per tenth (in {SlicesPerDecile} slices) timed one address per request; the rest filled by untimed bulk requests";
}

/// <summary>One timed slice of a fill and the raw commits measured right before it.</summary>
internal sealed record FillSegment(long Start, int Count, double Seconds, int RawCount, double RawSeconds);

/// <summary>A row of a fill table: one tenth of the pool, or its first or last 1%.</summary>
internal sealed record FillRow(string Label, long Timed, double AllocationsPerSecond, double RawCommitsPerSecond, double RatioToRaw)
{
    public double CostVs(FillRow first) => first.AllocationsPerSecond / AllocationsPerSecond;

    public double NormalizedCostVs(FillRow first) => first.RatioToRaw / RatioToRaw;
}

internal sealed record FillRun(
    string Cidr, string Strategy, string Client, bool Durable, string Mode, long PoolSize, double Seconds,
    IReadOnlyList<FillRow> Rows, IReadOnlyList<FillSegment> Segments, double ExhaustedPerSecond, double ExhaustedRawPerSecond)
{
    public FillRow First => Rows[0];

    public FillRow Last => Rows[^1];

    public IEnumerable<FillRow> Deciles => Rows.Skip(1).Take(Rows.Count - 2);

    /// <summary>Cost of an allocation in the last 1% over the first 1%.</summary>
    public double LastOverFirst => Last.CostVs(First);

    public double NormalizedLastOverFirst => Last.NormalizedCostVs(First);

    public double MedianRatioToRaw => Stats.Median(Deciles.Select(r => r.RatioToRaw));

    public Table ToTable(string title, IReadOnlyList<double>? neutron = null)
    {
        var table = neutron is null
            ? new Table(title, "fill", "timed", "allocs/s", "raw commits/s", "ratio to raw", "cost vs first 1%", "same, raw-normalized")
            : new Table(title, "fill", "timed", "allocs/s", "raw commits/s", "ratio to raw", "cost vs first 1%", "same, raw-normalized", "Neutron allocs/s", "× Neutron");
        var i = 0;
        foreach (var row in Rows)
        {
            string[] cells = [row.Label, Stats.Integer(row.Timed), Stats.Rate(row.AllocationsPerSecond), Stats.Rate(row.RawCommitsPerSecond),
                Stats.Ratio(row.RatioToRaw), Stats.Ratio(row.CostVs(First)), Stats.Ratio(row.NormalizedCostVs(First))];
            if (neutron is not null)
            {
                var n = i >= 1 && i <= 10 && i - 1 < neutron.Count ? neutron[i - 1] : double.NaN;
                cells = [.. cells, Stats.Rate(n), Stats.Times(row.AllocationsPerSecond / n)];
            }

            table.Add(cells);
            i++;
        }

        if (!double.IsNaN(ExhaustedPerSecond))
        {
            var exhausted = new string[table.Columns.Count];
            Array.Fill(exhausted, "");
            exhausted[0] = "full: pool-exhausted answers";
            exhausted[2] = Stats.Rate(ExhaustedPerSecond);
            exhausted[3] = Stats.Rate(ExhaustedRawPerSecond);
            exhausted[4] = Stats.Ratio(ExhaustedPerSecond / ExhaustedRawPerSecond);
            table.Add(exhausted);
        }

        return table;
    }
}

/// <summary>Fills one subnet through an <see cref="IAllocationClient"/>, interleaving raw single-row commits.</summary>
internal static class FillRunner
{
    public static async Task<FillRun> RunAsync(
        IAllocationClient client, RawInsertProbe raw, Cidr cidr, string strategy, bool durable, FillPlan plan, int exhaustedProbes, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        var subnetId = await client.CreateSubnetAsync(cidr);
        var poolSize = PoolSize(cidr);
        var segments = new List<FillSegment>();
        long done = 0;
        var nextDecile = 1;
        foreach (var (start, end) in Plan(poolSize, plan))
        {
            while (done < start)
            {
                var take = (int)Math.Min(start - done, IpamInstance.MaxBulk);
                await client.AllocateManyAsync(subnetId, strategy, take);
                done += take;
            }

            var count = (int)(end - start);
            var rawCount = Math.Clamp((int)(count * plan.RawShare), 10, 200);
            var rawSeconds = raw.Run(rawCount).TotalSeconds;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                await client.AllocateOneAsync(subnetId, strategy);
            }

            segments.Add(new FillSegment(start, count, watch.Elapsed.TotalSeconds, rawCount, rawSeconds));
            done = end;
            if (done >= poolSize * nextDecile / 10)
            {
                var decile = Aggregate($"{(nextDecile - 1) * 10}-{nextDecile * 10}%", segments.Where(s => InDecile(s, poolSize, nextDecile - 1)));
                log.WriteLine($"  {client.Kind} {cidr} {strategy} {decile.Label,-8} {Stats.Rate(decile.AllocationsPerSecond),8} allocs/s   raw {Stats.Rate(decile.RawCommitsPerSecond),8} commits/s");
                nextDecile++;
            }
        }

        var (exhausted, exhaustedRaw) = await ProbeExhaustedAsync(client, raw, subnetId, strategy, exhaustedProbes);
        var edge = Math.Max(1, poolSize / 100);
        var rows = new List<FillRow> { Aggregate("first 1%", segments.Where(s => s.Start + s.Count <= edge)) };
        for (var d = 0; d < 10; d++)
        {
            rows.Add(Aggregate($"{d * 10}-{(d + 1) * 10}%", segments.Where(s => InDecile(s, poolSize, d))));
        }

        rows.Add(Aggregate("last 1%", segments.Where(s => s.Start >= poolSize - edge)));
        return new FillRun(cidr.ToString(), strategy, client.Kind, durable, plan.Every ? "every" : "sampled", poolSize, total.Elapsed.TotalSeconds,
            rows, segments, exhausted, exhaustedRaw);
    }

    /// <summary>The number of addresses in the default pools of <paramref name="cidr"/> (what the fill allocates).</summary>
    public static long PoolSize(Cidr cidr)
    {
        var pools = Ipam.Subnets.SubnetRules.DefaultPools(cidr, Ipam.Subnets.SubnetRules.DefaultGateway(cidr));
        var count = pools.Aggregate(UInt128.Zero, (sum, range) => sum + range.Count);
        return count > long.MaxValue ? long.MaxValue : (long)count;
    }

    /// <summary>Timed slices, ascending and disjoint, as [start, end) positions in the fill order.</summary>
    public static List<(long Start, long End)> Plan(long poolSize, FillPlan plan)
    {
        var edge = Math.Max(1, poolSize / 100);
        var segments = new List<(long Start, long End)>();
        void Chunk(long lo, long hi, long size)
        {
            for (var s = lo; s < hi; s += size)
            {
                segments.Add((s, Math.Min(hi, s + size)));
            }
        }

        if (plan.Every)
        {
            var cuts = new SortedSet<long> { 0, edge, poolSize - edge, poolSize };
            for (var d = 1; d < 10; d++)
            {
                cuts.Add(poolSize * d / 10);
            }

            var size = Math.Max(20, poolSize / 200);
            var ordered = cuts.Where(c => c >= 0 && c <= poolSize).ToArray();
            for (var i = 0; i + 1 < ordered.Length; i++)
            {
                Chunk(ordered[i], ordered[i + 1], size);
            }
        }
        else
        {
            var edgeSlice = Math.Max(10, edge / 5);
            Chunk(0, edge, edgeSlice);
            var perSlice = Math.Max(1, plan.SamplesPerDecile / plan.SlicesPerDecile);
            for (var d = 0; d < 10; d++)
            {
                var lo = Math.Max(poolSize * d / 10, edge);
                var hi = Math.Min(poolSize * (d + 1) / 10, poolSize - edge);
                if (hi <= lo)
                {
                    continue;
                }

                if (hi - lo <= (long)perSlice * plan.SlicesPerDecile || plan.SlicesPerDecile == 1)
                {
                    Chunk(lo, Math.Min(hi, lo + plan.SamplesPerDecile), perSlice);
                    continue;
                }

                for (var i = 0; i < plan.SlicesPerDecile; i++)
                {
                    var start = lo + ((hi - lo - perSlice) * i / (plan.SlicesPerDecile - 1));
                    segments.Add((start, start + perSlice));
                }
            }

            Chunk(poolSize - edge, poolSize, edgeSlice);
        }

        // Keep slices disjoint and ascending whatever the rounding did on tiny pools.
        var result = new List<(long Start, long End)>();
        long covered = 0;
        foreach (var (start, end) in segments.OrderBy(s => s.Start))
        {
            var s = Math.Max(start, covered);
            if (end > s)
            {
                result.Add((s, end));
                covered = end;
            }
        }

        return result;
    }

    private static bool InDecile(FillSegment segment, long poolSize, int decile) =>
        segment.Start >= poolSize * decile / 10 && segment.Start < poolSize * (decile + 1) / 10;

    private static FillRow Aggregate(string label, IEnumerable<FillSegment> segments)
    {
        var list = segments.ToList();
        var count = list.Sum(s => (long)s.Count);
        var rate = count / list.Sum(s => s.Seconds);
        var rawRate = list.Sum(s => (long)s.RawCount) / list.Sum(s => s.RawSeconds);
        return new FillRow(label, count, rate, rawRate, rate / rawRate);
    }

    /// <summary>Requests on the full subnet, each answered pool-exhausted; returns their rate and the raw rate beside it.</summary>
    private static async Task<(double Rate, double Raw)> ProbeExhaustedAsync(IAllocationClient client, RawInsertProbe raw, Guid subnetId, string strategy, int count)
    {
        if (count <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var rawRate = raw.Measure(Math.Max(10, count / 2));
        var watch = Stopwatch.StartNew();
        var refused = 0;
        for (var i = 0; i < count; i++)
        {
            try
            {
                await client.AllocateOneAsync(subnetId, strategy);
            }
            catch (Exception e) when (e is Ipam.Errors.PoolExhaustedException or InvalidOperationException)
            {
                refused++;
            }
        }

        return refused == count ? (count / watch.Elapsed.TotalSeconds, rawRate) : (double.NaN, rawRate);
    }
}
