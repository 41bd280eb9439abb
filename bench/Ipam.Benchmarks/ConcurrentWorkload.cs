using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Subnets;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Benchmarks;

/// <summary>
/// Concurrent clients of single random allocations through the service layer, on one subnet or spread
/// over several, beside the raw single-row commit rate at the same client count, measured alternately
/// (raw, Ipam, raw, Ipam, ...) and reported as medians.
/// </summary>
internal sealed class ConcurrentWorkload(DatabaseLocation database, Func<int, TimeSpan, Task<double>> rawRate, bool durable)
{
    public async Task<IReadOnlyList<ConcurrentResult>> RunAsync(int[] clientCounts, int[] subnetCounts, TimeSpan duration, int rounds, TextWriter log)
    {
        var options = new IpamHostOptions { Urls = "http://127.0.0.1:0", Database = database, DurableCommits = durable };
        await using var app = IpamHost.Build(options);
        await app.StartAsync();
        var subnetService = app.Services.GetRequiredService<SubnetService>();
        var allocations = app.Services.GetRequiredService<AllocationService>();
        var results = new List<ConcurrentResult>();
        var octet = 0;
        foreach (var subnetCount in subnetCounts)
        {
            foreach (var clients in clientCounts)
            {
                var ipamRates = new List<double>();
                var rawRates = new List<double>();
                long failures = 0;
                for (var round = 0; round < rounds; round++)
                {
                    rawRates.Add(await rawRate(clients, duration));
                    var subnets = new List<Guid>();
                    for (var s = 0; s < subnetCount; s++, octet++)
                    {
                        var cidr = Cidr.Parse($"10.{octet % 256}.0.0/16");
                        subnets.Add((await subnetService.CreateAsync(new CreateSubnetCommand { Cidr = cidr, Name = $"bench-{octet}" })).Subnet.Id);
                    }

                    var watch = Stopwatch.StartNew();
                    var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
                    {
                        var subnet = subnets[client % subnets.Count];
                        var done = 0;
                        while (watch.Elapsed < duration)
                        {
                            try
                            {
                                await allocations.AllocateAsync(subnet, new AllocationRequest { Owner = $"client-{client}" });
                                done++;
                            }
                            catch (Exception)
                            {
                                Interlocked.Increment(ref failures);
                            }
                        }

                        return done;
                    })));
                    ipamRates.Add(counts.Sum() / watch.Elapsed.TotalSeconds);
                }

                var result = new ConcurrentResult(database.Kind, clients, subnetCount, Median(ipamRates), Median(rawRates), failures);
                results.Add(result);
                log.WriteLine($"  {clients,3} clients, {subnetCount,2} subnet(s): {result.AllocationsPerSecond,8:F0} allocs/s   raw {result.RawCommitsPerSecond,8:F0} commits/s   ratio {result.Ratio,5:F2}   failed {failures}");
            }
        }

        return results;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

internal sealed record ConcurrentResult(string Store, int Clients, int Subnets, double AllocationsPerSecond, double RawCommitsPerSecond, long FailedRequests)
{
    public double Ratio => AllocationsPerSecond / RawCommitsPerSecond;
}
