using System.Diagnostics;
using System.Text.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Specific-address requests at random positions of a /16, rounds alternated with raw commits, on SQLite and (with
/// <c>--store postgres|both</c>) on a throwaway PostgreSQL database.
/// </summary>
internal static class SpecificWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var cidr = Cidr.Parse(context.Option("--cidr", context.Quick ? "10.0.0.0/20" : "10.0.0.0/16"));
        var stores = OneClientStore.Stores(context, DatabaseLocation.Sqlite);
        var perRound = context.Quick ? 50 : 300;
        var rounds = Math.Max(3, context.Rounds);
        var report = new WorkloadReport("specific", $"Specific addresses in a {cidr}");
        var neutron = await NeutronAsync(context, "specific", ["--prefix", $"{cidr.PrefixLength}", "--count", "200"]);
        var neutronRate = neutron.Result is { } n ? NeutronHarness.OpsPerSecond(n.GetProperty("overall")) : double.NaN;
        var table = report.AddTable($"Specific addresses, {cidr}", "workload", "store", "allocs/s", "raw commits/s", "ratio to raw", "Neutron allocs/s", "× Neutron");
        foreach (var store in stores)
        {
            var (rates, randomRates, rawRates, reason) = await MeasureAsync(context, store, cidr, perRound, rounds);
            if (rates.Count == 0)
            {
                report.Notes.Add($"{store}: not measured: {reason}.");
                continue;
            }

            var rate = Stats.Median(rates);
            var rawRate = Stats.Median(rawRates);
            table.Add("specific", store, Stats.Rate(rate), Stats.Rate(rawRate), Stats.Ratio(rate / rawRate), Stats.Rate(neutronRate), Stats.Times(rate / neutronRate));
            table.Add("random, same rounds", store, Stats.Rate(Stats.Median(randomRates)), Stats.Rate(rawRate), Stats.Ratio(Stats.Median(randomRates) / rawRate), "", "");
            report.Data[store == DatabaseLocation.Sqlite ? "rates" : $"{store}_rates"] = rates;
            report.Data[store == DatabaseLocation.Sqlite ? "random_rates" : $"{store}_random_rates"] = randomRates;
            report.Data[store == DatabaseLocation.Sqlite ? "raw_rates" : $"{store}_raw_rates"] = rawRates;
        }

        report.Notes.Add($"Service layer, SQLite {FillWorkload.Sync(context.Durable)} or PostgreSQL{(context.Flag("--keyed") ? ", each request under an Idempotency-Key" : "")}; {rounds} rounds of {perRound} requests for a random free address of the pool, " +
            $"each round after {perRound / 2} raw single-row commits by one client (on PostgreSQL, for as long as those take at its last rate); medians.");
        AddNeutronNote(report, neutron, $"Neutron: SpecificAddressRequest, 200 requests in a {cidr} (its figure is flat too).");
        report.Data["neutron"] = neutron.Result;
        return report;
    }

    /// <summary>
    /// The rounds' rates of specific allocations, of random ones in another subnet of the same size right after them
    /// (what a specific address costs beside a pick), and the raw commit rates measured before each round; none, and
    /// why, when the store is unavailable.
    /// </summary>
    private static async Task<(List<double> Rates, List<double> RandomRates, List<double> RawRates, string Reason)> MeasureAsync(
        BenchContext context, string store, Cidr cidr, int perRound, int rounds)
    {
        var (opened, reason) = await OneClientStore.StartAsync(context, store, "specific");
        if (opened is null)
        {
            return ([], [], [], reason);
        }

        await using var measured = opened;
        var ipam = opened.Ipam;
        var rates = new List<double>();
        var randomRates = new List<double>();
        var rawRates = new List<double>();
        var subnet = await ipam.CreateSubnetAsync(cidr.ToString());
        var picked = await ipam.CreateSubnetAsync(new Cidr(IpAddress.Parse(cidr.Version == IpVersion.V4 ? "172.16.0.0" : "fd00::"), cidr.PrefixLength).ToString());
        var size = FillRunner.PoolSize(cidr);
        var offsets = Enumerable.Range(0, (int)size).Select(i => (long)i + 2).ToArray();
        new Random(6).Shuffle(offsets);
        var next = 0;
        for (var round = 0; round < rounds; round++)
        {
            rawRates.Add(await opened.RawAsync(perRound / 2));
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++)
            {
                var address = cidr.Network.Add((UInt128)offsets[next++ % offsets.Length]);
                await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Address = address, Owner = "bench" }, KeyOf(context));
            }

            rates.Add(perRound / watch.Elapsed.TotalSeconds);
            watch.Restart();
            for (var i = 0; i < perRound; i++)
            {
                await ipam.Allocations.AllocateAsync(picked.Id, new AllocationRequest { Owner = "bench" }, KeyOf(context));
            }

            randomRates.Add(perRound / watch.Elapsed.TotalSeconds);
            context.Log.WriteLine($"  specific ({store}) round {round + 1}: {Stats.Rate(rates[^1])} allocs/s, random {Stats.Rate(randomRates[^1])}, raw {Stats.Rate(rawRates[^1])}");
        }

        return (rates, randomRates, rawRates, "");
    }

    /// <summary>With <c>--keyed</c>, a new <c>Idempotency-Key</c> for a request, as the Neutron driver sends with each; otherwise none.</summary>
    public static string? KeyOf(BenchContext context) => context.Flag("--keyed") ? Guid.NewGuid().ToString() : null;

    /// <summary>Runs a Neutron workload unless in quick mode or unavailable; returns its first object or why not.</summary>
    public static async Task<(JsonElement? Result, string Reason)> NeutronAsync(BenchContext context, string workload, string[] arguments)
    {
        if (context.Quick)
        {
            return (null, "not run in --quick mode");
        }

        var (neutron, reason) = await context.NeutronAsync();
        if (neutron is null)
        {
            return (null, reason);
        }

        try
        {
            var directory = context.NewDirectory($"neutron-{workload}");
            var objects = await neutron.RunAsync(workload, $"sqlite:///{Path.Combine(directory, "neutron.db")}", Path.Combine(directory, "out.jsonl"), arguments, TimeSpan.FromMinutes(10), context.Log);
            return (objects[0], "");
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
    }

    public static void AddNeutronNote(WorkloadReport report, (JsonElement? Result, string Reason) neutron, string description) =>
        report.Notes.Add(neutron.Result is null ? $"Neutron not measured: {neutron.Reason}." : description);
}

/// <summary>Bulk requests of 1, 10, 100 and 1,000 addresses: cost per address, rounds alternated with raw commits.</summary>
internal static class BulkWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        int[] counts = [1, 10, 100, 1000];
        var requests = context.Quick ? new[] { 20, 10, 5, 2 } : [60, 30, 15, 5];
        var rounds = Math.Max(3, context.Rounds);
        var report = new WorkloadReport("bulk", "Bulk allocation: cost per address");
        var rates = counts.ToDictionary(c => c, _ => new List<double>());
        var rawRates = new List<double>();
        await using (var ipam = await IpamInstance.StartSqliteAsync(context.NewDirectory("bulk"), context.Durable))
        {
            using var raw = ipam.RawProbe();
            await FillWorkload.WarmUpAsync(ipam, raw);
            for (var round = 0; round < rounds; round++)
            {
                var subnet = await ipam.CreateSubnetAsync($"10.{round}.0.0/16");
                rawRates.Add(raw.Measure(context.Quick ? 20 : 50));
                for (var i = 0; i < counts.Length; i++)
                {
                    var request = new AllocationRequest { Count = counts[i], Owner = "bench" };
                    var watch = Stopwatch.StartNew();
                    for (var r = 0; r < requests[i]; r++)
                    {
                        await ipam.Allocations.AllocateAsync(subnet.Id, request);
                    }

                    rates[counts[i]].Add((double)counts[i] * requests[i] / watch.Elapsed.TotalSeconds);
                }

                context.Log.WriteLine($"  bulk round {round + 1}: " + string.Join(", ", counts.Select(c => $"{c}: {Stats.Rate(rates[c][^1])} addr/s")));
            }
        }

        var neutron = await SpecificWorkload.NeutronAsync(context, "bulk", ["--prefix", "20", "--count", "1000", "--reps", "3"]);
        var neutronRate = neutron.Result is { } n
            ? Stats.Median(n.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("addrs_per_s").GetDouble()))
            : double.NaN;
        var rawRate = Stats.Median(rawRates);
        var single = Stats.Median(rates[1]);
        var table = report.AddTable("Bulk requests, random addresses in a /16",
            "addresses per request", "addresses/s", "ms per request", "µs per address", "ratio to raw", "cheaper per address than singles", "Neutron addresses/s", "× Neutron");
        for (var i = 0; i < counts.Length; i++)
        {
            var rate = Stats.Median(rates[counts[i]]);
            var neutronCell = counts[i] == 1000 ? neutronRate : double.NaN;
            table.Add(Stats.Integer(counts[i]), Stats.Rate(rate), Stats.Milliseconds(counts[i] / rate), Stats.Microseconds(1 / rate),
                Stats.Ratio(rate / rawRate), Stats.Times(rate / single), Stats.Rate(neutronCell), Stats.Times(rate / neutronCell));
        }

        report.Notes.Add($"Service layer, SQLite {FillWorkload.Sync(context.Durable)}; per round, on a fresh /16: raw commits, then {string.Join(", ", counts.Select((c, i) => $"{requests[i]} requests of {c}"))}; medians of {rounds} rounds. " +
            $"Ratio to raw = addresses/s over single-row commits/s ({Stats.Rate(rawRate)}/s).");
        SpecificWorkload.AddNeutronNote(report, neutron, "Neutron: BulkAddressRequest(1000) in a /20, 3 calls, median.");
        var bulk = Stats.Median(rates[1000]) / single;
        report.Goals.Add(new Goal("bulk-1000 vs singles, cost per address", "≥ 20× cheaper", Stats.Times(bulk), bulk >= 20,
            bulk >= 20 ? null : $"one INSERT per address at a random position of the B-trees ({Stats.Microseconds(1 / Stats.Median(rates[1000]))} µs each) against a single's commit ({Stats.Milliseconds(1 / single)} ms on this run's disk): the faster the disk, the smaller the ratio"));
        report.Data["rates"] = rates.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
        report.Data["raw_rates"] = rawRates;
        report.Data["neutron"] = neutron.Result;
        return report;
    }
}

/// <summary>Release a random allocated address, allocate one, in a half-full subnet.</summary>
internal static class ChurnWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var stores = OneClientStore.Stores(context, DatabaseLocation.Sqlite);
        var rounds = Math.Max(3, context.Rounds);
        var pairs = context.Quick ? 50 : 300;
        var report = new WorkloadReport("churn", "Churn: release one, allocate one, in a 50%-full subnet");
        var neutron = await SpecificWorkload.NeutronAsync(context, "churn", ["--prefix", "23", "--count", "100"]);
        var table = report.AddTable("Churn pairs (release a random allocated address, then allocate a random one)",
            "store", "subnet", "allocated", "pairs/s", "requests/s", "raw commits/s", "ratio to raw", "release p50 ms", "allocate p50 ms", "Neutron pairs/s", "× Neutron");
        var cidrs = new List<string> { context.Quick ? "10.0.0.0/20" : "10.0.0.0/16" };
        if (neutron.Result is not null)
        {
            cidrs.Add("10.1.0.0/23");
        }

        foreach (var store in stores)
        {
            var (opened, reason) = await OneClientStore.StartAsync(context, store, "churn");
            if (opened is null)
            {
                report.Notes.Add($"{store}: not measured: {reason}.");
                continue;
            }

            await using var measured = opened;
            var ipam = opened.Ipam;
            foreach (var text in cidrs)
            {
                var cidr = Cidr.Parse(text);
                var subnet = await ipam.CreateSubnetAsync(text);
                var allocated = await ipam.FillAsync(subnet.Id, FillRunner.PoolSize(cidr) / 2);
                var random = new Random(7);
                var pairRates = new List<double>();
                var rawRates = new List<double>();
                var releases = new List<double>();
                var allocations = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    rawRates.Add(await opened.RawAsync(pairs / 2));
                    var total = 0.0;
                    for (var i = 0; i < pairs; i++)
                    {
                        var index = random.Next(allocated.Count);
                        var start = Stopwatch.GetTimestamp();
                        await ipam.Allocations.ReleaseOrReplayAsync(subnet.Id, allocated[index], SpecificWorkload.KeyOf(context));
                        var released = Stopwatch.GetTimestamp();
                        var result = await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "churn" }, SpecificWorkload.KeyOf(context));
                        var end = Stopwatch.GetTimestamp();
                        allocated[index] = result[0].Address;
                        releases.Add(Stopwatch.GetElapsedTime(start, released).TotalSeconds);
                        allocations.Add(Stopwatch.GetElapsedTime(released, end).TotalSeconds);
                        total += Stopwatch.GetElapsedTime(start, end).TotalSeconds;
                    }

                    pairRates.Add(pairs / total);
                }

                var rate = Stats.Median(pairRates);
                var rawRate = Stats.Median(rawRates);
                var neutronRate = text.EndsWith("/23", StringComparison.Ordinal) && neutron.Result is { } n ? n.GetProperty("pair_ops_per_s").GetDouble() : double.NaN;
                table.Add(store, text, Stats.Integer(allocated.Count), Stats.Rate(rate), Stats.Rate(2 * rate), Stats.Rate(rawRate), Stats.Ratio(2 * rate / rawRate),
                    Stats.Milliseconds(Stats.Percentile(releases, 50)), Stats.Milliseconds(Stats.Percentile(allocations, 50)),
                    Stats.Rate(neutronRate), Stats.Times(rate / neutronRate));
                report.Data[store == DatabaseLocation.Sqlite ? text : $"{store} {text}"] = new { pair_rates = pairRates, raw_rates = rawRates };
                context.Log.WriteLine($"  churn ({store}) {text}: {Stats.Rate(rate)} pairs/s, raw {Stats.Rate(rawRate)}");
            }
        }

        report.Notes.Add($"Service layer, SQLite {FillWorkload.Sync(context.Durable)} or PostgreSQL{(context.Flag("--keyed") ? ", each request under an Idempotency-Key" : "")}; the subnet is half filled by bulk requests, then {rounds} rounds of {pairs} pairs (each round after {pairs / 2} raw commits); medians. " +
            "Each pair is two requests and two commits, so ratio to raw = requests/s over raw commits/s.");
        SpecificWorkload.AddNeutronNote(report, neutron, "Neutron: its churn workload, 100 pairs in a half-full /23 (half-filling a /16 through Neutron's driver would take hours); Ipam runs the same /23 for the side-by-side row.");
        report.Data["neutron"] = neutron.Result;
        return report;
    }
}
