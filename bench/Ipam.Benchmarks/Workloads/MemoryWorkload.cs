using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Ipam.Allocations;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Resident memory after creating 1,000 subnets of mixed sizes (/8, /16, /24, IPv6 /48 and /64) and allocating
/// a few addresses in each, against 1,000 /24s. Each set runs in its own child process (a fresh heap), which
/// reports VmRSS from /proc/self/status and the managed heap after a full collection.
/// </summary>
internal static class MemoryWorkload
{
    private static readonly string[] Sets = ["uniform-24", "mixed"];

    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var subnets = context.Int("--subnets", 1000);
        var perSubnet = context.Int("--per-subnet", 3);
        var report = new WorkloadReport("memory", $"Memory after {Stats.Integer(subnets)} subnets");
        var table = report.AddTable($"Resident memory of the service process, {Stats.Integer(subnets)} subnets with {perSubnet} allocations each",
            "subnets", "RSS before MB", "RSS after MB", "RSS per subnet KB", "managed heap per subnet KB", "cached free-space indexes");
        var results = new List<MemoryResult>();
        foreach (var set in Sets)
        {
            var output = Path.Combine(context.NewDirectory($"memory-{set}"), "result.json");
            await RunChildAsync(["memory-child", "--set", set, "--subnets", $"{subnets}", "--per-subnet", $"{perSubnet}", "--result", output, .. context.Flag("--no-fsync") ? ["--no-fsync"] : Array.Empty<string>()]);
            var result = JsonSerializer.Deserialize<MemoryResult>(await File.ReadAllTextAsync(output)) ?? throw new InvalidDataException(output);
            results.Add(result);
            table.Add(Describe(set), Stats.Megabytes(result.RssBefore), Stats.Megabytes(result.RssAfter),
                ((result.RssAfter - result.RssBefore) / 1024.0 / subnets).ToString("F1", CultureInfo.InvariantCulture),
                ((result.HeapAfter - result.HeapBefore) / 1024.0 / subnets).ToString("F2", CultureInfo.InvariantCulture),
                Stats.Integer(result.CachedIndexes));
            context.Log.WriteLine($"  memory {set}: RSS {Stats.Megabytes(result.RssBefore)} -> {Stats.Megabytes(result.RssAfter)} MB, heap {Stats.Megabytes(result.HeapBefore)} -> {Stats.Megabytes(result.HeapAfter)} MB");
        }

        var uniform = results[0];
        var mixed = results[1];
        var heapRatio = (double)(mixed.HeapAfter - mixed.HeapBefore) / (uniform.HeapAfter - uniform.HeapBefore);
        var rssRatio = (double)(mixed.RssAfter - mixed.RssBefore) / Math.Max(1, uniform.RssAfter - uniform.RssBefore);
        table.Notes.Add($"Mixed / uniform: managed heap growth {Stats.Times(heapRatio)}, RSS growth {Stats.Times(rssRatio)}.");
        report.Notes.Add("Each set runs in a fresh child process: the service starts (SQLite), a warm-up subnet of each kind is created and allocated from (JIT, pools, caches), " +
            "the heap is collected and measured, then the subnets are created and allocated from (16 concurrent callers), and memory is measured again after a full compacting collection. " +
            "Mixed: 200 each of IPv4 /8, /16, /24, IPv6 /48 and /64. The allocations put every subnet's free-space index in the cache, which is what could grow with subnet size.");
        var met = heapRatio <= 1.25;
        report.Goals.Add(new Goal("memory does not grow with subnet size (1,000 mixed vs 1,000 /24)", "mixed ≈ /24 (≤ 1.25× per subnet)",
            $"managed heap {Stats.Times(heapRatio)}, RSS {Stats.Times(rssRatio)}", met, met ? null : "see the memory table"));
        report.Data["results"] = results;
        return report;
    }

    /// <summary>The child's side: build the set in this process and write what memory it took.</summary>
    public static async Task<int> ChildAsync(BenchContext context)
    {
        var set = context.Option("--set", "mixed");
        var count = context.Int("--subnets", 1000);
        var perSubnet = context.Int("--per-subnet", 3);
        await using var ipam = await IpamInstance.StartSqliteAsync(context.NewDirectory("memory"), context.Durable);
        foreach (var warm in new[] { "192.0.2.0/24", "198.18.0.0/16", "100.0.0.0/8", "2001:db8:ffff::/48", "2001:db8:fffe::/64" })
        {
            var subnet = await ipam.CreateSubnetAsync(warm);
            await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "warm" });
        }

        var (rssBefore, heapBefore) = Measure();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var subnet = await ipam.CreateSubnetAsync(Cidr(set, i), $"memory-{i}");
                for (var a = 0; a < perSubnet; a++)
                {
                    await ipam.Allocations.AllocateAsync(subnet.Id, new AllocationRequest { Owner = "memory" });
                }
            }
        })));
        var (rssAfter, heapAfter) = Measure();
        var result = new MemoryResult(set, count, perSubnet, rssBefore, rssAfter, heapBefore, heapAfter, ipam.Cache.Count);
        await File.WriteAllTextAsync(context.Option("--result", "memory.json"), JsonSerializer.Serialize(result));
        return 0;
    }

    private static string Cidr(string set, int i) => set == "uniform-24"
        ? $"10.{i / 256}.{i % 256}.0/24"
        : (i % 5) switch
        {
            0 => $"{11 + (i / 5 % 100)}.0.0.0/8",
            1 => $"{120 + (i / 5 / 256)}.{i / 5 % 256}.0.0/16",
            2 => $"10.{i / 5 / 256}.{i / 5 % 256}.0/24",
            3 => $"2001:db8:{i:x}::/48",
            _ => $"2001:db9:0:{i:x}::/64",
        };

    private static string Describe(string set) => set == "uniform-24" ? "1,000 × IPv4 /24" : "mixed: 200 each /8, /16, /24, IPv6 /48, /64";

    internal static (long Rss, long Heap) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var rss = Environment.WorkingSet;
        foreach (var line in File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status") : [])
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return (rss, heap);
    }

    internal static async Task RunChildAsync(IEnumerable<string> arguments)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(process) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the memory child process.");
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The memory child process failed ({child.ExitCode}): {await error}{await output}");
        }
    }
}

internal sealed record MemoryResult(string Set, int Subnets, int PerSubnet, long RssBefore, long RssAfter, long HeapBefore, long HeapAfter, int CachedIndexes);
