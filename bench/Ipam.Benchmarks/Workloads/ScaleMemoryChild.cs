using System.Diagnostics;
using System.Text.Json;
using Ipam.Allocations;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One restart of the server on the loaded database, in a fresh process with <c>--cache-mb</c> set: the first
/// allocation in the empty subnet (the runtime's warm-up, no index to build), the first and second in the big
/// subnet (its index built from the database, then used; while the first runs, one client keeps allocating in
/// the empty subnet, whose slowest request shows whether the build held up other writes), then one allocation in
/// each of many small subnets
/// (16 concurrent callers), with resident memory and the managed heap measured between the steps.
/// </summary>
internal static class ScaleMemoryChild
{
    public const string Name = "scale-child";

    public static async Task<int> RunAsync(BenchContext context)
    {
        var manifest = await ScaleLoader.ReadManifestAsync(context.Option("--dir", "."));
        var cacheMb = context.Int("--cache-mb", 256);
        var touch = Math.Min(context.Int("--touch", manifest.Small.Count), manifest.Small.Count);
        var started = Stopwatch.StartNew();
        await using var ipam = await ScaleLoader.StartAsync(manifest, context.Durable, (long)cacheMb << 20);
        var startSeconds = started.Elapsed.TotalSeconds;
        var (rssStart, heapStart) = MemoryWorkload.Measure();
        var firstEmpty = await TimeAllocationAsync(ipam, manifest.Empty.Id);
        var (rssWarm, heapWarm) = MemoryWorkload.Measure();
        var (firstBig, neighbours, slowestNeighbour) = await TimeWithNeighbourAsync(ipam, manifest.Big.Id, manifest.Empty.Id);
        var secondBig = await TimeAllocationAsync(ipam, manifest.Big.Id);
        var (rssBig, heapBig) = MemoryWorkload.Measure();
        var cacheBytesBig = ipam.Cache.Bytes;
        var next = -1;
        var touchWatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < touch; i = Interlocked.Increment(ref next))
            {
                await ipam.Allocations.AllocateAsync(manifest.Small[i].Id, new AllocationRequest { Owner = "scale-touch" });
            }
        })));
        var touchSeconds = touchWatch.Elapsed.TotalSeconds;
        var (rssTouched, heapTouched) = MemoryWorkload.Measure();
        var (cached, cacheBytes) = (ipam.Cache.Count, ipam.Cache.Bytes);

        // What the cached indexes hold on the heap: the heap with them, less the heap once they are dropped.
        ipam.Cache.InvalidateAll();
        var (_, heapCleared) = MemoryWorkload.Measure();
        var result = new ScaleMemoryResult(cacheMb, touch, startSeconds, firstEmpty, firstBig, neighbours, slowestNeighbour, secondBig, touchSeconds,
            rssStart, rssWarm, rssBig, rssTouched, heapStart, heapWarm, heapBig, heapTouched, heapCleared, cached, cacheBytesBig, cacheBytes,
            manifest.Big.FreeRanges, manifest.Small.Take(touch).Sum(s => s.FreeRanges));
        await File.WriteAllTextAsync(context.Option("--result", "scale-memory.json"), JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// Times one allocation in <paramref name="subnetId"/> while another client allocates in
    /// <paramref name="neighbourId"/> one request after another until it is done; returns the time, how many the
    /// neighbour made, and the neighbour's slowest request.
    /// </summary>
    private static async Task<(double Seconds, int Neighbours, double SlowestNeighbour)> TimeWithNeighbourAsync(
        IpamInstance ipam, Guid subnetId, Guid neighbourId)
    {
        using var done = new CancellationTokenSource();
        var neighbour = Task.Run(async () =>
        {
            var (count, slowest) = (0, 0.0);
            while (!done.IsCancellationRequested)
            {
                slowest = Math.Max(slowest, await TimeAllocationAsync(ipam, neighbourId));
                count++;
            }

            return (count, slowest);
        });
        var seconds = await TimeAllocationAsync(ipam, subnetId);
        await done.CancelAsync();
        var (neighbours, slowestNeighbour) = await neighbour;
        return (seconds, neighbours, slowestNeighbour);
    }

    private static async Task<double> TimeAllocationAsync(IpamInstance ipam, Guid subnetId)
    {
        var start = Stopwatch.GetTimestamp();
        await ipam.Allocations.AllocateAsync(subnetId, new AllocationRequest { Owner = "scale-restart" });
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
