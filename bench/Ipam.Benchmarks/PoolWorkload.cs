using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Benchmarks;

/// <summary>
/// Subnet-from-pool allocations per second through the service layer at several pool usage levels. One pool
/// per level, with identical prefixes, is filled beforehand with subnets of <c>fillPrefixLength</c> at
/// random positions (so the free space is scattered over thousands of blocks) up to its level; then rounds
/// measure each pool in turn: <c>samples</c> sequential best-fit allocations of <c>prefixLength</c>, timed,
/// then deleted again (untimed) so the level stays put. Interleaving the pools within each round spreads
/// disk weather evenly; each figure is the median over the rounds, and the ratio compares it with the
/// empty pool.
/// </summary>
/// <remarks>
/// Wiring (Program.cs): <c>case "pool": result = await PoolWorkload.RunAsync(arguments, database, durable, Console.Out);</c>
/// with <c>--pool CIDR</c> (default 10.0.0.0/8), <c>--prefixlen N</c> (24), <c>--fill-prefixlen N</c>
/// (default: --prefixlen), <c>--levels 0,50,99</c>, <c>--samples N</c> (500), <c>--rounds N</c> (5).
/// For IPv6: <c>--pool 2001:db8::/32 --prefixlen 64 --fill-prefixlen 48</c>.
/// </remarks>
public sealed class PoolWorkload(DatabaseLocation database, bool durable)
{
    /// <summary>Parses the workload's options from the benchmark's command line and runs it.</summary>
    public static Task<PoolResult> RunAsync(IReadOnlyList<string> arguments, DatabaseLocation database, bool durable, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string Option(string name, string fallback)
        {
            var i = arguments.ToList().IndexOf(name);
            return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
        }

        int Number(string name, string fallback) => OptionValues.Number<int>(name, Option(name, fallback));

        var pool = Cidr.Parse(Option("--pool", "10.0.0.0/8"));
        var prefixLength = Number("--prefixlen", pool.Version == IpVersion.V4 ? "24" : "64");
        var fillPrefixLength = Number("--fill-prefixlen", prefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var levels = OptionValues.Numbers("--levels", Option("--levels", "0,50,99"));
        return new PoolWorkload(database, durable).RunAsync(pool, prefixLength, fillPrefixLength, levels, Number("--samples", "500"), Number("--rounds", "5"), log);
    }

    public async Task<PoolResult> RunAsync(
        Cidr prefix, int prefixLength, int fillPrefixLength, IReadOnlyList<int> levels, int samples, int rounds, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(log);
        var blocks = UInt128.One << (fillPrefixLength - prefix.PrefixLength);
        if (fillPrefixLength - prefix.PrefixLength > 24)
        {
            throw new ArgumentException($"--fill-prefixlen {fillPrefixLength} makes more than 2^24 fill blocks in {prefix}; use a shorter one.");
        }

        // Every sample must fit in the fullest pool with room to spare: at most half of its free prefixes.
        var fullest = (UInt128)levels.Max();
        var freePrefixes = (blocks - (blocks * fullest / 100)) << (prefixLength - fillPrefixLength);
        samples = (int)UInt128.Min((UInt128)samples, UInt128.Max(1, freePrefixes / 2));

        var options = new IpamHostOptions { Urls = "http://127.0.0.1:0", Database = database, DurableCommits = durable };
        await using var app = IpamHost.Build(options);
        await app.StartAsync();
        var pools = app.Services.GetRequiredService<SubnetPoolService>();
        var subnets = app.Services.GetRequiredService<SubnetService>();

        log.WriteLine($"subnet-from-pool allocations of /{prefixLength} in {prefix} on {database.Kind}{(durable ? "" : " (no fsync)")}, " +
            $"pools filled with random /{fillPrefixLength}s; {samples} sequential allocations per sample, median of {rounds} rounds");
        var measured = new List<(int Level, Guid PoolId, long Subnets, List<double> Rates)>();
        foreach (var level in levels)
        {
            var pool = await pools.CreateAsync(new CreateSubnetPoolCommand
            {
                Name = $"bench-{level}",
                Prefixes = [prefix],
                MinPrefixLength = prefix.PrefixLength,
                DefaultPrefixLength = prefixLength,
            });
            var fill = (long)(blocks * (UInt128)level / 100);
            var watch = Stopwatch.StartNew();
            await FillAsync(subnets, pool.Id, prefix, fillPrefixLength, (long)blocks, fill, seed: level);
            log.WriteLine($"  {level,3}% pool: {fill:N0} subnets in {watch.Elapsed.TotalSeconds:F1} s");
            measured.Add((level, pool.Id, fill, []));
        }

        // Warm up the JIT and the prefix indexes before timing anything.
        foreach (var (_, poolId, _, _) in measured)
        {
            await SampleAsync(subnets, poolId, prefixLength, Math.Min(samples, 50));
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (_, poolId, _, rates) in measured)
            {
                rates.Add(await SampleAsync(subnets, poolId, prefixLength, samples));
            }
        }

        var baseline = Median(measured[0].Rates);
        var results = measured.Select(m => new PoolLevelResult(m.Level, m.Subnets, Median(m.Rates), baseline / Median(m.Rates), m.Rates)).ToList();
        foreach (var r in results)
        {
            log.WriteLine($"  {r.UsagePercent,3}% used ({r.SubnetsInPool,9:N0} subnets): {r.AllocationsPerSecond,8:F0} allocs/s   " +
                $"cost ratio to {levels[0]}%: {r.CostRatio,5:F2}");
        }

        return new PoolResult(prefix.ToString(), prefixLength, fillPrefixLength, database.Kind, durable, samples, rounds, results);
    }

    /// <summary>Allocates <paramref name="count"/> subnets one request at a time (timed), then deletes them (untimed); returns allocations/s.</summary>
    private static async Task<double> SampleAsync(SubnetService subnets, Guid poolId, int prefixLength, int count)
    {
        var created = new List<Guid>(count);
        var command = new CreateSubnetCommand { SubnetPoolId = poolId, PrefixLength = prefixLength, Name = "bench" };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            created.Add((await subnets.CreateAsync(command)).Subnet.Id);
        }

        var elapsed = watch.Elapsed;
        await Task.WhenAll(created.Chunk(Math.Max(1, created.Count / 32)).Select(chunk => Task.Run(async () =>
        {
            foreach (var id in chunk)
            {
                await subnets.DeleteAsync(id, force: true);
            }
        })));
        return count / elapsed.TotalSeconds;
    }

    /// <summary>Takes <paramref name="fill"/> of the pool's <paramref name="blocks"/> fill-sized blocks, chosen at random, with 32 concurrent writers.</summary>
    private static async Task FillAsync(SubnetService subnets, Guid poolId, Cidr prefix, int fillPrefixLength, long blocks, long fill, int seed)
    {
        if (fill == 0)
        {
            return;
        }

        var order = new long[blocks];
        for (var i = 0L; i < blocks; i++)
        {
            order[i] = i;
        }

        new Random(seed).Shuffle(order);
        var step = UInt128.One << (prefix.Family.Bits - fillPrefixLength);
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < fill; i = Interlocked.Increment(ref next))
            {
                var cidr = new Cidr(prefix.Network.Add((UInt128)order[i] * step), fillPrefixLength);
                await subnets.CreateAsync(new CreateSubnetCommand { SubnetPoolId = poolId, Cidr = cidr, Name = "fill" });
            }
        })));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

public sealed record PoolLevelResult(int UsagePercent, long SubnetsInPool, double AllocationsPerSecond, double CostRatio, IReadOnlyList<double> RoundRates);

public sealed record PoolResult(
    string Pool, int PrefixLength, int FillPrefixLength, string Store, bool Durable, int Samples, int Rounds, IReadOnlyList<PoolLevelResult> Levels);
