using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Subnets;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Benchmarks;

/// <summary>
/// Fills a subnet one allocation per request through the service layer (the same code path as HTTP minus
/// the network) and reports allocations per second for each tenth of the pool, with the raw durable
/// single-row commit rate measured right before each tenth.
/// </summary>
internal sealed class FillWorkload(string directory, Cidr cidr, AllocationStrategy strategy, bool durable, int rawSample)
{
    public async Task<FillResult> RunAsync(TextWriter log)
    {
        var options = new IpamHostOptions
        {
            Urls = "http://127.0.0.1:0",
            Database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")),
            DurableCommits = durable,
        };
        await using var app = IpamHost.Build(options);
        await app.StartAsync();
        var subnets = app.Services.GetRequiredService<SubnetService>();
        var allocations = app.Services.GetRequiredService<AllocationService>();
        using var raw = new RawInsertProbe(Path.Combine(directory, "raw.db"), durable);

        // Warm up the JIT and the connection on a throwaway subnet so the first tenth measures steady state.
        var warmup = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse(cidr.Version == IpVersion.V4 ? "192.0.2.0/24" : "2001:db8:ffff::/120") })).Subnet;
        for (var i = 0; i < 200; i++)
        {
            await allocations.AllocateAsync(warmup.Id, new AllocationRequest { Strategy = strategy });
        }

        raw.Measure(200);
        var subnet = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = cidr })).Subnet;
        var poolSize = (long)subnet.PoolSet.Count;
        var request = new AllocationRequest { Strategy = strategy, Owner = "bench" };
        var phases = new List<FillPhase>();
        long done = 0;
        var lastPercentStart = poolSize - (poolSize / 100);
        var lastPercentTime = TimeSpan.Zero;
        for (var tenth = 1; tenth <= 10; tenth++)
        {
            // Slices of allocations alternate with slices of raw commits, so both see the same disk weather.
            var target = poolSize * tenth / 10;
            var slice = Math.Max(50, (target - done) / 20);
            var phaseStart = done;
            var allocTime = TimeSpan.Zero;
            var rawCommits = 0;
            var rawTime = TimeSpan.Zero;
            while (done < target)
            {
                var rawCount = (int)Math.Max(rawSample / 20, slice / 4);
                var rawWatch = Stopwatch.StartNew();
                raw.Measure(rawCount);
                rawTime += rawWatch.Elapsed;
                rawCommits += rawCount;

                var end = Math.Min(target, done + slice);
                var watch = Stopwatch.StartNew();
                for (; done < end; done++)
                {
                    if (done == lastPercentStart)
                    {
                        lastPercentTime -= watch.Elapsed;
                    }

                    await allocations.AllocateAsync(subnet.Id, request);
                }

                if (done > lastPercentStart)
                {
                    lastPercentTime += watch.Elapsed;
                }

                allocTime += watch.Elapsed;
            }

            var rate = (done - phaseStart) / allocTime.TotalSeconds;
            var rawRate = rawCommits / rawTime.TotalSeconds;
            double? lastPercentRate = tenth == 10 ? (poolSize - lastPercentStart) / lastPercentTime.TotalSeconds : null;
            phases.Add(new FillPhase($"{(tenth - 1) * 10}-{tenth * 10}%", done - phaseStart, rate, rawRate, rate / rawRate, lastPercentRate));
            log.WriteLine($"  {phases[^1].Label,-8} {rate,10:F0} allocs/s   raw {rawRate,8:F0} commits/s   ratio {rate / rawRate,5:F2}");
        }

        var first = phases[0].AllocationsPerSecond;
        var last = phases[^1].AllocationsPerSecond;
        return new FillResult(cidr.ToString(), strategy.ToString().ToLowerInvariant(), durable, poolSize, phases, first / last);
    }
}

internal sealed record FillPhase(string Label, long Allocations, double AllocationsPerSecond, double RawCommitsPerSecond, double RatioToRaw, double? LastPercentPerSecond);

internal sealed record FillResult(string Cidr, string Strategy, bool Durable, long PoolSize, IReadOnlyList<FillPhase> Phases, double FirstOverLastDecile);
