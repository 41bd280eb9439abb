using System.Diagnostics;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One client on SQLite allocating in bursts: a burst after a pause (longer than the checkpointer's five idle
/// intervals), then one right after it, in turns. After a pause the WAL has been copied into the database file;
/// what the burst after it pays depends on what the pause did to the WAL file: emptied, every commit extends it
/// again and syncs the file's size with its pages; kept, the commits overwrite it as in a steady run.
/// </summary>
internal static class BurstsWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var bursts = Math.Max(3, context.Int("--bursts", context.Quick ? 3 : 6));
        var perBurst = Math.Max(1, context.Int("--per-burst", context.Quick ? 200 : 2000));
        var pause = TimeSpan.FromSeconds(Math.Max(0, context.Double("--pause", context.Quick ? 1.5 : 3)));
        var report = new WorkloadReport("bursts", "One client in bursts, SQLite");
        var (opened, reason) = await OneClientStore.StartAsync(context, DatabaseLocation.Sqlite, "bursts");
        await using var store = opened ?? throw new InvalidOperationException(reason);
        var ipam = store.Ipam;
        var subnet = await ipam.CreateSubnetAsync("10.0.0.0/16");

        var afterPause = new List<double>();
        var steady = new List<double>();
        for (var burst = 0; burst < bursts; burst++)
        {
            await Task.Delay(pause);
            afterPause.Add(await BurstAsync(ipam, subnet.Id, perBurst));
            steady.Add(await BurstAsync(ipam, subnet.Id, perBurst));
            context.Log.WriteLine($"  burst {burst + 1}: after the pause {Stats.Rate(afterPause[^1])} allocs/s, right after {Stats.Rate(steady[^1])}");
        }

        var ratios = afterPause.Zip(steady, (paused, going) => paused / going).ToList();
        var table = report.AddTable($"{bursts} pairs of bursts of {perBurst} random allocations, one client, SQLite {FillWorkload.Sync(context.Durable)}",
            "burst", "allocs/s (median)", "rounds");
        table.Add($"after {pause.TotalSeconds:0.#} s without a write", Stats.Rate(Stats.Median(afterPause)), string.Join(", ", afterPause.Select(Stats.Rate)));
        table.Add("right after the burst before", Stats.Rate(Stats.Median(steady)), string.Join(", ", steady.Select(Stats.Rate)));
        var ratio = Stats.Median(ratios);
        report.Goals.Add(new Goal("a burst after a pause vs one right after a burst, SQLite (median of the pairs' ratios)", "≥ 0.9×", $"{Stats.Ratio(ratio)}×", ratio >= 0.9));
        report.Notes.Add("Service layer; each pair is a burst after the pause, then one at once; the ratio is the median of each pair's own ratio, which cancels most of the disk's drift.");
        report.Data["after_pause"] = afterPause;
        report.Data["steady"] = steady;
        report.Data["ratios"] = ratios;
        return report;
    }

    private static async Task<double> BurstAsync(IpamInstance ipam, Guid subnetId, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await ipam.Allocations.AllocateAsync(subnetId, new AllocationRequest { Owner = "bench" });
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
