using System.Text.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Ipam and Neutron's own driver fill the same prefix in the same run, on SQLite files in the same
/// directory: Ipam twice, Neutron, Ipam twice more (every address one per request, raw commits
/// interleaved), and the multiple is taken per tenth against the median of Ipam's four fills.
/// </summary>
internal static class NeutronFillWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var prefix = context.Int("--prefix", context.Quick ? 24 : 22);
        var cidr = Cidr.Parse($"10.0.0.0/{prefix}");
        var report = new WorkloadReport("neutron-fill", $"Fill a {cidr}: Ipam beside Neutron's neutrondb_ipam driver");
        var (neutron, reason) = await context.NeutronAsync();
        var directory = context.NewDirectory("neutron-fill");
        var plan = new FillPlan(true, RawShare: 0.25);
        var ipamRuns = new List<FillRun>();
        var nextRuns = new List<FillRun>();
        JsonElement? neutronFill = null;
        JsonElement? neutronNext = null;
        var preferNextCount = (int)Math.Min(300, FillRunner.PoolSize(cidr) * 3 / 10);
        await using (var ipam = await IpamInstance.StartSqliteAsync(directory, context.Durable))
        {
            using var raw = ipam.RawProbe();
            await FillWorkload.WarmUpAsync(ipam, raw);
            var client = new ServiceClient(ipam);
            var quiet = TextWriter.Null;
            for (var i = 0; i < 2; i++)
            {
                ipamRuns.Add(await FillRunner.RunAsync(client, raw, cidr, AllocationStrategies.Random, context.Durable, plan, 0, quiet));
            }

            if (neutron is not null)
            {
                if (!context.Quick)
                {
                    nextRuns.Add(await FillRunner.RunAsync(client, raw, cidr, AllocationStrategies.Next, context.Durable, plan, 0, quiet));
                }

                try
                {
                    var db = $"sqlite:///{Path.Combine(directory, "neutron.db")}";
                    var objects = await neutron.RunAsync("fill", db, Path.Combine(directory, "neutron-fill.jsonl"), ["--prefix", $"{prefix}"], TimeSpan.FromMinutes(20), context.Log);
                    neutronFill = objects.First(o => o.GetProperty("workload").GetString() == "fill");
                    if (!context.Quick)
                    {
                        objects = await neutron.RunAsync("prefer_next", db, Path.Combine(directory, "neutron-next.jsonl"),
                            ["--prefix", $"{prefix}", "--count", $"{preferNextCount}"], TimeSpan.FromMinutes(10), context.Log);
                        neutronNext = objects[0];
                    }
                }
                catch (InvalidOperationException e)
                {
                    reason = e.Message;
                    neutron = null;
                }

                if (!context.Quick)
                {
                    nextRuns.Add(await FillRunner.RunAsync(client, raw, cidr, AllocationStrategies.Next, context.Durable, plan, 0, quiet));
                }
            }

            for (var i = 0; i < 2; i++)
            {
                ipamRuns.Add(await FillRunner.RunAsync(client, raw, cidr, AllocationStrategies.Random, context.Durable, plan, 0, quiet));
            }
        }

        var neutronDeciles = new double[10];
        Array.Fill(neutronDeciles, double.NaN);
        var neutronP50 = new double[10];
        Array.Fill(neutronP50, double.NaN);
        if (neutronFill is { } fill)
        {
            foreach (var decile in fill.GetProperty("deciles").EnumerateArray())
            {
                var label = decile.GetProperty("decile").GetString() ?? "";
                var d = int.Parse(label[..label.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) / 10;
                neutronDeciles[d] = NeutronHarness.OpsPerSecond(decile);
                neutronP50[d] = decile.GetProperty("p50_ms").GetDouble() / 1000;
            }
        }

        report.Notes.Add($"Both fill {cidr} ({Stats.Integer(FillRunner.PoolSize(cidr))} addresses) one address per request, random (Neutron: AnyAddressRequest), every request timed, on SQLite files in the same directory. " +
            "Ipam: service layer, WAL, synchronous=FULL, raw commits interleaved; Ipam fills twice before Neutron and twice after, and each tenth reports the median of the four. " +
            "Neutron: its harness (one write transaction per request, the subnet re-loaded each time, as Neutron's plugin calls the driver), SQLite as SQLAlchemy opens it (rollback journal, synchronous=FULL).");
        if (neutron is null && neutronFill is null)
        {
            report.Notes.Add($"Neutron was not measured: {reason}.");
        }

        var table = report.AddTable($"{cidr}, Ipam (median of {ipamRuns.Count} fills) vs Neutron (one fill), allocations per second by tenth of the pool",
            "fill", "Ipam allocs/s", "raw commits/s", "Ipam ratio to raw", "Ipam p50 ms", "Neutron allocs/s", "Neutron p50 ms", "× Neutron");
        var multiples = new List<double>();
        for (var d = 0; d < 10; d++)
        {
            var rows = ipamRuns.Select(r => r.Rows[d + 1]).ToList();
            var rate = Stats.Median(rows.Select(r => r.AllocationsPerSecond));
            var rawRate = Stats.Median(rows.Select(r => r.RawCommitsPerSecond));
            var multiple = rate / neutronDeciles[d];
            if (!double.IsNaN(multiple))
            {
                multiples.Add(multiple);
            }

            table.Add(rows[0].Label, Stats.Rate(rate), Stats.Rate(rawRate), Stats.Ratio(Stats.Median(rows.Select(r => r.RatioToRaw))),
                Stats.Milliseconds(1 / rate), Stats.Rate(neutronDeciles[d]), Stats.Milliseconds(neutronP50[d]), Stats.Times(multiple));
        }

        var ipamWhole = Stats.Median(ipamRuns.Select(r => r.Segments.Sum(s => (double)s.Count) / r.Segments.Sum(s => s.Seconds)));
        var neutronWhole = neutronFill is { } f ? NeutronHarness.OpsPerSecond(f.GetProperty("overall")) : double.NaN;
        table.Add("whole fill", Stats.Rate(ipamWhole), "", "", "", Stats.Rate(neutronWhole), "", Stats.Times(ipamWhole / neutronWhole));
        if (neutronNext is { } next && nextRuns.Count > 0)
        {
            var ipamNext = Stats.Median(nextRuns.Select(r => r.Segments.Where(s => s.Start < preferNextCount).Sum(s => (double)s.Count) /
                r.Segments.Where(s => s.Start < preferNextCount).Sum(s => s.Seconds)));
            var neutronNextRate = NeutronHarness.OpsPerSecond(next.GetProperty("overall"));
            table.Add($"next-free, first {preferNextCount}", Stats.Rate(ipamNext), "", "", "", Stats.Rate(neutronNextRate), "", Stats.Times(ipamNext / neutronNextRate));
        }

        if (multiples.Count > 0)
        {
            var worst = multiples.Min();
            var raws = Stats.Median(ipamRuns.SelectMany(r => r.Deciles).Select(r => r.RatioToRaw));
            report.Goals.Add(new Goal($"≥ 100× Neutron's driver on the fill ({cidr})", "≥ 100× at every tenth",
                $"{string.Join(", ", multiples.Select(Stats.Times))} by tenth; whole fill {Stats.Times(ipamWhole / neutronWhole)}",
                worst >= 100,
                worst >= 100 ? null : $"Ipam runs at the disk's durable commit rate (median ratio to raw {Stats.Ratio(raws)}); where Neutron's request costs less than 100 fsync-bound commits (its early tenths), no single-client allocator that commits each request durably can be 100× faster on this disk"));
        }
        else
        {
            report.Goals.Add(new Goal($"≥ 100× Neutron's driver on the fill ({cidr})", "≥ 100× at every tenth", "Neutron not measured", null, reason));
        }

        report.Data["ipam_runs"] = ipamRuns;
        report.Data["ipam_next_runs"] = nextRuns;
        report.Data["neutron_fill"] = neutronFill;
        report.Data["neutron_prefer_next"] = neutronNext;
        return report;
    }
}

/// <summary>
/// A /16 at 0, 50, 90 and 99% fill, Ipam beside Neutron: Neutron's harness pre-inserts the rows by SQL and
/// times a few real driver allocations at each level (filling a /16 through its driver would take hours);
/// Ipam fills by bulk requests and times single allocations (each released again) at the same levels.
/// Not part of <c>all</c>: Neutron needs several seconds per allocation at 90%.
/// </summary>
internal static class NeutronSeededWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var cidr = Cidr.Parse("10.0.0.0/16");
        var pool = FillRunner.PoolSize(cidr);
        double[] levels = [0, 0.5, 0.9, 0.99];
        var counts = levels.Select(l => (long)Math.Ceiling(l * pool)).ToArray();
        var neutronSamples = context.Int("--neutron-samples", context.Quick ? 2 : 5);
        var samples = context.Int("--samples", context.Quick ? 50 : 300);
        var report = new WorkloadReport("neutron-seeded", $"A {cidr} at 0/50/90/99% fill: Ipam beside Neutron's driver");
        var (neutron, reason) = await context.NeutronAsync();
        var directory = context.NewDirectory("neutron-seeded");
        var ipamRates = new List<(double Rate, double P50, double RawRate)>();
        await using (var ipam = await IpamInstance.StartSqliteAsync(directory, context.Durable))
        {
            using var raw = ipam.RawProbe();
            await FillWorkload.WarmUpAsync(ipam, raw);
            var subnet = await ipam.CreateSubnetAsync(cidr.ToString());
            long allocated = 0;
            foreach (var count in counts)
            {
                await ipam.FillAsync(subnet.Id, count - allocated);
                allocated = count;
                var rawRate = raw.Measure(samples / 2);
                var latencies = new List<double>(samples);
                for (var i = 0; i < samples; i++)
                {
                    var start = System.Diagnostics.Stopwatch.GetTimestamp();
                    var result = await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "seeded" });
                    latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
                    await ipam.Allocations.ReleaseAsync(subnet.Id, result[0].Address);
                }

                ipamRates.Add((latencies.Count / latencies.Sum(), Stats.Percentile(latencies, 50), rawRate));
            }
        }

        var neutronRows = new Dictionary<long, JsonElement>();
        if (neutron is not null)
        {
            try
            {
                var objects = await neutron.RunAsync("fill_seeded", $"sqlite:///{Path.Combine(directory, "neutron.db")}", Path.Combine(directory, "neutron.jsonl"),
                    ["--prefix", "16", "--levels", string.Join(',', counts), "--sample", $"{neutronSamples}"], TimeSpan.FromMinutes(20), context.Log);
                foreach (var o in objects.Where(o => o.GetProperty("workload").GetString() == "fill_seeded"))
                {
                    neutronRows[o.GetProperty("preseeded_rows").GetInt64()] = o.GetProperty("sample");
                }
            }
            catch (InvalidOperationException e)
            {
                reason = e.Message;
            }
        }

        var table = report.AddTable($"{cidr} by fill level: Ipam ({samples} single allocations per level, each released again) vs Neutron ({neutronSamples} per level)",
            "fill", "allocated", "Ipam allocs/s", "Ipam p50 ms", "raw commits/s", "Neutron allocs/s", "Neutron p50 ms", "× Neutron");
        for (var i = 0; i < levels.Length; i++)
        {
            var n = neutronRows.TryGetValue(counts[i], out var row) ? row : (JsonElement?)null;
            var neutronRate = n is { } r ? NeutronHarness.OpsPerSecond(r) : double.NaN;
            var neutronP50 = n is { } p ? p.GetProperty("p50_ms").GetDouble() / 1000 : double.NaN;
            table.Add(Stats.Percent(levels[i]), Stats.Integer(counts[i]), Stats.Rate(ipamRates[i].Rate), Stats.Milliseconds(ipamRates[i].P50), Stats.Rate(ipamRates[i].RawRate),
                Stats.Rate(neutronRate), Stats.Milliseconds(neutronP50), Stats.Times(ipamRates[i].Rate / neutronRate));
        }

        report.Notes.Add("Neutron: its harness's fill_seeded workload (rows inserted by SQL, then real driver allocations, SQLite). " +
            "Ipam: service layer, SQLite synchronous=FULL, filled by bulk requests, then single random allocations each released again (untimed) so the level stays put.");
        if (neutronRows.Count == 0)
        {
            report.Notes.Add($"Neutron not measured: {reason}.");
        }

        report.Data["ipam"] = ipamRates.Select((r, i) => new { allocated = counts[i], allocs_per_second = r.Rate, p50_seconds = r.P50, raw_commits_per_second = r.RawRate });
        report.Data["neutron"] = neutronRows.Values.ToList();
        return report;
    }
}
