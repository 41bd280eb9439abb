using System.Diagnostics;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// The single-allocation rate (one caller, sequential, service layer, random strategy) against the raw commit
/// limit of the same database (<see cref="ScaleRawCommits"/>), at scale and in the small case: the big subnet of
/// the loaded database, a fresh /16 in the same database, and a fresh /16 in a fresh database of the same store
/// (the small case), rounds of the three interleaved.
/// </summary>
internal static class ScaleRates
{
    private const double Tolerance = 0.10;

    public static async Task MeasureAsync(BenchContext context, IpamInstance ipam, ScaleManifest manifest, WorkloadReport report, Table goals)
    {
        var perRound = context.Quick ? 100 : 300;
        var rounds = Math.Max(3, context.Rounds);
        await using var small = await StartSmallAsync(context, manifest.Database);
        var rawTime = TimeSpan.FromSeconds(context.Quick ? 0.2 : 0.5);
        using var bigRaw = await ScaleRawCommits.StartAsync(ipam, perRound / 2, rawTime);
        using var smallRaw = await ScaleRawCommits.StartAsync(small, perRound / 2, rawTime);
        await FillWorkload.WarmUpAsync(ipam, bigRaw.WarmAsync);
        await FillWorkload.WarmUpAsync(small, smallRaw.WarmAsync);
        var targets = new[]
        {
            new Target($"big subnet ({manifest.Big.Cidr}, {Stats.Integer(manifest.Big.Loaded)} allocations), loaded database", ipam, bigRaw, manifest.Big.Id),
            new Target("fresh /16, loaded database", ipam, bigRaw, (await ipam.CreateSubnetAsync("198.18.0.0/16", "scale-fresh")).Id),
            new Target(small.Database == ipam.Database ? "fresh /16, loaded database again (the small case; --pg names one database)" : "fresh /16, fresh database (the small case)", small, smallRaw, (await small.CreateSubnetAsync("198.18.0.0/16", "scale-fresh")).Id),
        };
        foreach (var target in targets)
        {
            // The first allocation in a subnet builds its free-address index (from a million rows in the big one): not a rate.
            await target.Ipam.Allocations.AllocateAsync(target.SubnetId, new AllocationRequest { Owner = "scale-rate" });
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
            {
                target.Raw.Add(await target.Probe.MeasureAsync());
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < perRound; i++)
                {
                    await target.Ipam.Allocations.AllocateAsync(target.SubnetId, new AllocationRequest { Owner = "scale-rate" });
                }

                target.Rates.Add(perRound / watch.Elapsed.TotalSeconds);
            }

            context.Log.WriteLine($"  scale rates round {round + 1}: " + string.Join(", ", targets.Select(t => $"{Stats.Rate(t.Rates[^1])}/s (raw {Stats.Rate(t.Raw[^1])})")));
        }

        var same = manifest.Database.Kind == DatabaseLocation.Sqlite ? "file" : "database";
        var table = report.AddTable($"At scale: single allocations against the raw commit limit of the same {same}", "where", "allocs/s", "raw commits/s", "ratio to raw");
        foreach (var target in targets)
        {
            table.Add(target.Name, Stats.Rate(Stats.Median(target.Rates)), Stats.Rate(Stats.Median(target.Raw)), Stats.Ratio(target.Ratio));
        }

        table.Notes.Add($"After one untimed allocation in each subnet (its index built), {rounds} rounds; in each, for each row in turn, {bigRaw.Describe()} then {perRound} allocations; medians.");
        var change = (targets[0].Ratio / targets[2].Ratio) - 1;
        var met = Math.Abs(change) <= Tolerance;
        var name = "single-allocation rate / raw commits, big subnet at scale vs the small case";
        goals.Add(name, Stats.Ratio(targets[0].Ratio), Stats.Ratio(targets[2].Ratio), Stats.Times(targets[0].Ratio / targets[2].Ratio), "1.00× ± 10%", met ? "met" : "not met");
        report.Goals.Add(new Goal(name, "unchanged ± 10%", $"{Stats.Ratio(targets[0].Ratio)} vs {Stats.Ratio(targets[2].Ratio)} ({change:+0%;-0%})", met));
        report.Data["rates"] = targets.Select(t => new { t.Name, t.Rates, raw = t.Raw });
    }

    /// <summary>The small case: a fresh database of the loaded one's store (a new file, or a new database on the same server).</summary>
    private static async Task<IpamInstance> StartSmallAsync(BenchContext context, DatabaseLocation loaded)
    {
        if (loaded.Kind == DatabaseLocation.Sqlite)
        {
            return await IpamInstance.StartSqliteAsync(context.NewDirectory("scale-small"), context.Durable);
        }

        var (url, reason) = await context.PostgresDatabaseAsync();
        return await IpamInstance.StartAsync(new DatabaseLocation(DatabaseLocation.PostgreSql, url ?? throw new InvalidOperationException(reason)), context.Durable);
    }

    private sealed record Target(string Name, IpamInstance Ipam, ScaleRawCommits Probe, Guid SubnetId)
    {
        public List<double> Rates { get; } = [];

        public List<double> Raw { get; } = [];

        public double Ratio => Stats.Median(Rates) / Stats.Median(Raw);
    }
}
