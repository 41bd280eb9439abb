using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Several instances on one PostgreSQL database. A single client fills a /16 one address per request, round-robin
/// over three instances (each one's free-space index catches up from the change log with the other two's
/// allocations before every pick), beside the same fill on one instance in a database of its own, and on three
/// instances each filling a subnet of its own in a database of its own, asked in turn too (what taking turns between
/// instances costs when they share nothing): the timed requests of the three setups alternate in slices, so all see
/// the same machine. Then requests for one address on each full
/// subnet, all refused, on one instance and round-robin over three.
/// </summary>
internal static class InstancesWorkload
{
    private const int SlicesPerTenth = 6;
    private const int RefusalWindows = 6;

    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var cidr = Cidr.Parse(context.Option("--cidr", context.Quick ? "10.0.0.0/20" : "10.0.0.0/16"));
        var count = context.Int("--instances", 3);
        var refusalTime = TimeSpan.FromSeconds(context.Double("--seconds", context.Quick ? 0.5 : 3));
        var samples = context.Int("--samples", context.Quick ? 60 : 300);
        var report = new WorkloadReport("instances", $"One client, {count} instances on one PostgreSQL database vs one instance");
        var (singleUrl, reason) = await context.PostgresDatabaseAsync();
        var (multiUrl, _) = await context.PostgresDatabaseAsync();
        var apartUrls = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            apartUrls.Add((await context.PostgresDatabaseAsync()).Url);
        }

        if (singleUrl is null || multiUrl is null || apartUrls.Contains(null))
        {
            report.Notes.Add($"Not measured: {reason}.");
            report.Goals.Add(new Goal($"fill round-robin over {count} instances", "≤ 1.5× last/first tenth, ≤ 1.3× one instance", "not measured", null, reason));
            return report;
        }

        var raw = new RawPostgresProbe(BenchContext.ConnectionString(singleUrl));
        await raw.PrepareAsync();
        await raw.MeasureAsync(1, TimeSpan.FromSeconds(0.3));
        await using var single = new InstanceSet(await StartAsync(singleUrl, 1, context.Durable));
        await using var multi = new InstanceSet(await StartAsync(multiUrl, count, context.Durable));
        var apartInstances = new List<IpamInstance>();
        foreach (var url in apartUrls)
        {
            apartInstances.AddRange(await StartAsync(url!, 1, context.Durable));
        }

        await using var apart = new InstanceSet(apartInstances, ownDatabases: true);
        await single.WarmUpAsync();
        await multi.WarmUpAsync();
        await apart.WarmUpAsync();

        var fill = await FillAsync(single, multi, apart, cidr, samples, raw, context.Log);
        var table = report.AddTable($"Fill of a {cidr} by one client, one address per request, PostgreSQL ({samples} requests timed at the end of each tenth)",
            "fill", "1 instance allocs/s", $"{count} instances allocs/s", $"{count} vs 1 (cost)", $"{count} instances, a database each, allocs/s", "a database each vs 1 (cost)", "raw commits/s (1 client)",
            $"raw, {count} connections in turn", $"raw {count} vs 1 (cost)", $"Npgsql commands per request (1 / {count})", $"ms a request: in Npgsql commands / in all (1 / {count})");
        foreach (var tenth in fill)
        {
            table.Add(tenth.Label, Stats.Rate(tenth.Single), Stats.Rate(tenth.Multi), Stats.Times(tenth.Single / tenth.Multi), Stats.Rate(tenth.Apart),
                Stats.Times(tenth.Single / tenth.Apart), Stats.Rate(tenth.Raw),
                Stats.Rate(tenth.RawInTurn), Stats.Times(tenth.Raw / tenth.RawInTurn), $"{tenth.SingleCommands:F2} / {tenth.MultiCommands:F2}",
                $"{Ms(tenth.SingleCommandSeconds, samples)} / {Ms(1 / tenth.Single, 1)} ; {Ms(tenth.MultiCommandSeconds, samples)} / {Ms(1 / tenth.Multi, 1)}");
        }

        var (first, last) = (fill[0], fill[^1]);
        var whole = fill.Sum(t => 1 / t.Single) / fill.Sum(t => 1 / t.Multi);
        var multiGrowth = first.Multi / last.Multi;
        var singleGrowth = first.Single / last.Single;
        var vsSingle = 1 / whole;
        var rawInTurn = fill.Sum(t => 1 / t.RawInTurn) / fill.Sum(t => 1 / t.Raw);
        var apartVsSingle = fill.Sum(t => 1 / t.Apart) / fill.Sum(t => 1 / t.Single);
        report.Goals.Add(new Goal($"flat cost round-robin over {count} instances: last tenth of a {cidr} vs first", "≤ 1.5×",
            $"{Stats.Times(multiGrowth)} (1 instance: {Stats.Times(singleGrowth)})", multiGrowth <= 1.5));
        var sliceMedian = Stats.Median(fill.SelectMany(t => t.MultiSliceCosts));
        var apartSliceMedian = Stats.Median(fill.SelectMany(t => t.ApartSliceCosts));
        var slices = fill.Sum(t => t.MultiSliceCosts.Count);
        report.Goals.Add(new Goal($"fill round-robin over {count} instances vs one instance", "within 1.3×",
            $"{Stats.Times(vsSingle)} the cost over the whole fill (tenths: {Stats.Times(fill.Min(t => t.Single / t.Multi))}–{Stats.Times(fill.Max(t => t.Single / t.Multi))}; median of {slices} paired slices: {Stats.Times(sliceMedian)})", vsSingle <= 1.3,
            $"{count} instances that share nothing, asked in turn, cost {Stats.Times(apartVsSingle)} one instance (median of paired slices {Stats.Times(apartSliceMedian)}); raw commits of one client over {count} connections in turn {Stats.Times(rawInTurn)} those on one"));
        report.Data["apart_vs_single"] = apartVsSingle;
        report.Data["multi_vs_single_slice_median"] = sliceMedian;
        report.Data["apart_vs_single_slice_median"] = apartSliceMedian;

        var refusals = report.AddTable($"Requests for one address on the full {cidr}, every one refused (pool-exhausted), {refusalTime.TotalSeconds:0.#} s each after 500 warm-up requests, in {RefusalWindows} windows alternating between the setups",
            "instances", "clients", "refusals/s");
        foreach (var clients in new[] { 1, 16 })
        {
            var (one, many) = await RefuseInterleavedAsync(single, multi, clients, refusalTime);
            foreach (var (set, rate) in new[] { (single, one), (multi, many) })
            {
                refusals.Add(set.Describe(), $"{clients}", Stats.Rate(rate));
                context.Log.WriteLine($"  refusals, {set.Describe()}, {clients} client(s): {Stats.Rate(rate)}/s");
                report.Data[$"refusals_{set.Count}_instances_{clients}_clients"] = rate;
            }
        }

        report.Notes.Add($"Service layer of {count} Ipam instances in this process, each with its own host, caches and connection pool, on one PostgreSQL " +
            "database (the throwaway cluster, synchronous_commit on), vs one instance on a second database of the same cluster, and vs " +
            $"{count} instances each on a database of its own (same cluster), each filling a {cidr} of its own, asked in turn as well: what taking turns " +
            "between instances costs when they share no data, so no change log to follow. " +
            $"Each tenth is bulk-filled (untimed, round-robin, then one single request per instance so that every index has caught up) to {samples} addresses " +
            "short of its end, and those are timed one request each, the three setups in rotating slices; a paired slice's cost is a setup's seconds over those of the same number of requests on one instance in the same slice, so a burst of other work on the machine weighs in one slice, not in the whole; raw = single-row INSERT transactions from one connection, measured before each tenth's timed part, " +
            $"and from one client over {count} connections in turn (what taking turns between server processes costs without Ipam).");
        report.Data["tenths"] = fill;
        return report;
    }

    private static Task<List<IpamInstance>> StartAsync(string url, int count, bool durable) =>
        IpamInstance.StartManyAsync(new DatabaseLocation(DatabaseLocation.PostgreSql, url), count, durable);

    /// <summary>
    /// Per tenth: both setups are bulk-filled (untimed) to <paramref name="samples"/> addresses short of the tenth's
    /// end, then time those one request each, in alternate slices; so the last tenth is timed up to the last address.
    /// </summary>
    private static async Task<List<InstancesTenth>> FillAsync(
        InstanceSet single, InstanceSet multi, InstanceSet apart, Cidr cidr, int samples, RawPostgresProbe raw, TextWriter log)
    {
        var poolSize = FillRunner.PoolSize(cidr);
        await single.CreateSubnetAsync(cidr);
        await multi.CreateSubnetAsync(cidr);
        await apart.CreateSubnetAsync(cidr);
        var tenths = new List<InstancesTenth>();
        using var driver = new NpgsqlCommandCounter();
        for (var d = 0; d < 10; d++)
        {
            var end = poolSize * (d + 1) / 10;
            await single.FillToAsync(end - samples);
            await multi.FillToAsync(end - samples);
            await apart.FillToAsync(end - samples);
            var rawRate = await raw.MeasureAsync(1, TimeSpan.FromSeconds(0.3));
            var rawInTurn = await raw.MeasureInTurnAsync(multi.Count, TimeSpan.FromSeconds(0.3));
            var (singleTimed, multiTimed, apartTimed) = (new TimedRequests(), new TimedRequests(), new TimedRequests());
            (InstanceSet Set, TimedRequests Timed)[] setups = [(single, singleTimed), (multi, multiTimed), (apart, apartTimed)];
            var (multiSliceCosts, apartSliceCosts) = (new List<double>(), new List<double>());
            for (var slice = 0; slice < SlicesPerTenth; slice++)
            {
                var size = (samples * (slice + 1) / SlicesPerTenth) - (samples * slice / SlicesPerTenth);
                var sliceSeconds = new Dictionary<InstanceSet, double>();
                // Rotate which goes first, so none always runs right after the same other's burst.
                foreach (var (set, timed) in setups.Skip(slice % setups.Length).Concat(setups.Take(slice % setups.Length)))
                {
                    var before = driver.Totals();
                    sliceSeconds[set] = await set.AllocateAsync(size);
                    timed.Seconds += sliceSeconds[set];
                    var traffic = driver.Totals().Since(before);
                    timed.Commands += traffic.Commands;
                    timed.CommandSeconds += traffic.CommandSeconds;
                }

                multiSliceCosts.Add(sliceSeconds[multi] / sliceSeconds[single]);
                apartSliceCosts.Add(sliceSeconds[apart] / sliceSeconds[single]);
            }

            var tenth = new InstancesTenth($"{d * 10}-{(d + 1) * 10}%", samples / singleTimed.Seconds, samples / multiTimed.Seconds, samples / apartTimed.Seconds, rawRate, rawInTurn,
                (double)singleTimed.Commands / samples, (double)multiTimed.Commands / samples, singleTimed.CommandSeconds, multiTimed.CommandSeconds,
                multiSliceCosts, apartSliceCosts);
            log.WriteLine($"  {cidr} {tenth.Label,-8} 1 instance {Stats.Rate(tenth.Single),8}/s   {multi.Count} instances {Stats.Rate(tenth.Multi),8}/s   a database each {Stats.Rate(tenth.Apart),8}/s   raw {Stats.Rate(rawRate)}/s, in turn {Stats.Rate(rawInTurn)}/s");
            tenths.Add(tenth);
        }

        return tenths;
    }

    /// <summary>The seconds a setup's timed requests took and the Npgsql commands sent meanwhile (background work's too).</summary>
    private sealed class TimedRequests
    {
        public double Seconds { get; set; }

        public long Commands { get; set; }

        public double CommandSeconds { get; set; }
    }

    private static string Ms(double seconds, int requests) => $"{seconds * 1000 / requests:F2}";

    /// <summary>
    /// Clients ask for one address on each full subnet, after 500 warm-up requests, in windows that alternate between
    /// the two setups (so both see the same machine); returns refusals per second of each.
    /// </summary>
    private static async Task<(double Single, double Multi)> RefuseInterleavedAsync(InstanceSet single, InstanceSet multi, int clients, TimeSpan duration)
    {
        await single.RefuseAsync(500, TimeSpan.MaxValue);
        await multi.RefuseAsync(500, TimeSpan.MaxValue);
        var totals = new (long Refused, double Seconds)[2];
        for (var window = 0; window < RefusalWindows; window++)
        {
            foreach (var which in window % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var set = which == 0 ? single : multi;
                var watch = Stopwatch.StartNew();
                var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => set.RefuseAsync(int.MaxValue, duration / RefusalWindows))));
                totals[which] = (totals[which].Refused + counts.Sum(), totals[which].Seconds + watch.Elapsed.TotalSeconds);
            }
        }

        return (totals[0].Refused / totals[0].Seconds, totals[1].Refused / totals[1].Seconds);
    }
}
