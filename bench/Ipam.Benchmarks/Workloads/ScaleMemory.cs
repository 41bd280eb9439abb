using System.Globalization;
using System.Text.Json;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Restarts of the server on the loaded database, one fresh process per <c>--cache-mb</c> value (see
/// <see cref="ScaleMemoryChild"/>): the first allocations after the restart, and memory after touching many subnets.
/// </summary>
internal static class ScaleMemory
{
    public static async Task MeasureAsync(BenchContext context, string directory, ScaleManifest manifest, WorkloadReport report, Table goals)
    {
        var budgets = context.Ints("--cache-mbs", "16,64,256");
        var touch = Math.Min(context.Int("--touch", context.Quick ? manifest.Small.Count : 30_000), manifest.Small.Count);
        var results = new List<ScaleMemoryResult>();
        foreach (var budget in budgets)
        {
            var output = Path.Combine(context.NewDirectory($"scale-cache-{budget}"), "result.json");
            await MemoryWorkload.RunChildAsync([ScaleMemoryChild.Name, "--dir", directory, "--cache-mb", $"{budget}", "--touch", $"{touch}", "--result", output,
                .. context.Flag("--no-fsync") ? ["--no-fsync"] : Array.Empty<string>()]);
            var result = JsonSerializer.Deserialize<ScaleMemoryResult>(await File.ReadAllTextAsync(output)) ?? throw new InvalidDataException(output);
            results.Add(result);
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  scale --cache-mb {budget}: first allocation in the big subnet {result.FirstBigSeconds * 1000:F0} ms, RSS {Stats.Megabytes(result.RssTouched)} MB, {result.CachedIndexes:N0} indexes cached"));
        }

        var restart = report.AddTable("At scale: the first allocations after a restart (a fresh process on the loaded file)",
            "--cache-mb", "start s", "first, empty subnet ms", "first, big subnet ms", "meanwhile in the empty subnet: allocations, slowest ms", "second, big subnet ms");
        foreach (var r in results)
        {
            restart.Add($"{r.CacheMb}", r.StartSeconds.ToString("F2", CultureInfo.InvariantCulture), Stats.Milliseconds(r.FirstEmptySeconds),
                Stats.Milliseconds(r.FirstBigSeconds), $"{r.NeighbourAllocations}, {Stats.Milliseconds(r.SlowestNeighbourSeconds)}", Stats.Milliseconds(r.SecondBigSeconds));
        }

        restart.Notes.Add($"The first allocation in the empty subnet pays the runtime's warm-up (JIT) and no index; the first in the big subnet builds its free-address index " +
            $"from its {Stats.Integer(manifest.Big.Loaded)} allocation rows ({Stats.Integer(manifest.Big.FreeRanges)} free ranges), in a read before its write; the second uses it. " +
            "Meanwhile one client allocates in the empty subnet, one request after another: its slowest request is what the build made other writes wait.");
        var first = results[0];
        var restartName = $"first allocation after a restart in the subnet of {Stats.Integer(manifest.Big.Loaded)} allocations";
        goals.Add(restartName, $"{Stats.Milliseconds(first.FirstBigSeconds)} ms", $"{Stats.Milliseconds(first.SecondBigSeconds)} ms (the second)",
            Stats.Times(first.FirstBigSeconds / first.SecondBigSeconds), "reported (no target)", "-");

        var memory = report.AddTable($"At scale: memory of a restarted server after one allocation in the big subnet and in {Stats.Integer(touch)} small subnets",
            "--cache-mb", "RSS at start MB", "RSS after the big subnet MB", "RSS at the end MB", "indexes cached", "their bytes, as counted MB", "heap they hold MB", "within budget");
        foreach (var r in results)
        {
            var within = r.HeapHeld <= 1.25 * ((long)r.CacheMb << 20);
            memory.Add($"{r.CacheMb}", Stats.Megabytes(r.RssStart), Stats.Megabytes(r.RssBig), Stats.Megabytes(r.RssTouched), Stats.Integer(r.CachedIndexes),
                Stats.Megabytes(r.CacheBytes), Stats.Megabytes(r.HeapHeld), within ? "yes" : "no");
            var name = $"heap held by the cached indexes with --cache-mb {r.CacheMb}, {Stats.Integer(touch)} subnets touched";
            goals.Add(name, $"{Stats.Megabytes(r.HeapHeld)} MB", $"{r.CacheMb} MB budget", Stats.Times(r.HeapHeld / (double)((long)r.CacheMb << 20)), "≤ 1.25×", within ? "met" : "not met");
            report.Goals.Add(new Goal(name, "≤ 1.25× the budget", $"{Stats.Megabytes(r.HeapHeld)} MB, RSS {Stats.Megabytes(r.RssTouched)} MB", within));
        }

        var largest = results.MaxBy(r => r.CacheMb)!;
        var perRange = largest.BytesPerFreeRange;
        var perSubnet = (double)(largest.HeapHeld - (largest.HeapBig - largest.HeapWarm)) / largest.Touched;
        var rangesPerSubnet = (double)largest.TouchedFreeRanges / largest.Touched;
        var allCached = largest.CachedIndexes >= largest.Touched ? "" : " (not all stayed cached: an underestimate)";
        memory.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"Heap they hold: the managed heap after a full collection, less the same once the cache is emptied. With --cache-mb {largest.CacheMb}: the big subnet's index ") +
            string.Create(CultureInfo.InvariantCulture, $"{perRange:F1} bytes per free range (the heap before and after it was built; the cache counted {(double)largest.CacheBytesBig / largest.BigFreeRanges:F1}); ") +
            string.Create(CultureInfo.InvariantCulture, $"a small subnet's {perSubnet:F0} bytes{allCached}, with {rangesPerSubnet:F1} free ranges each ({perSubnet / rangesPerSubnet:F1} bytes per free range, all in). ") +
            (manifest.Database.Kind == Api.Hosting.DatabaseLocation.Sqlite ? "RSS also counts SQLite's page cache, " : "RSS also counts Npgsql's connection buffers, ") +
            "the runtime's own heaps and memory the collector has not returned.");
        report.Data["memory"] = results;
    }
}
