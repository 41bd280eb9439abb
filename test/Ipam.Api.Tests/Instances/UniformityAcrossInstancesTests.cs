using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Random allocation on three instances is uniform over every address free in the database, though each
/// address drawn is released through another instance than the one that drew it.
/// </summary>
public sealed class UniformityAcrossInstancesTests
{
    [Fact]
    public async Task AllocateRandom_ReleasedThroughOtherInstances_ChiSquareAcceptsUniform()
    {
        await using var server = await IpamServer.StartAsync(new SeededRandomSource(20261201), durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.90.0.0/25" }));
        var taken = Uniformity.ScatteredTaken(2, 127, seed: 11);
        await Task.WhenAll(taken.Select(o => server.AllocateAsync(id, new { ip_address = $"10.90.0.{o}" })));

        // One request at a time, taking turns among the instances: each release goes to the instance after the
        // one that allocated, and the next allocation to the one after that.
        const int samplesPerAddress = 10;
        var counts = Enumerable.Range(2, 125).Where(o => !taken.Contains(o)).ToDictionary(o => $"10.90.0.{o}", _ => 0);
        for (var i = 0; i < counts.Count * samplesPerAddress; i++)
        {
            var address = Ip(await server.AllocateAsync(id));
            counts[address]++;
            AssertStatus(await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{address}"), System.Net.HttpStatusCode.NoContent);
        }

        Uniformity.AssertUniform(counts, samplesPerAddress);
        var sent = server.SentPerInstance!;
        Assert.True(sent.Max() - sent.Min() <= 1, $"requests per instance: {string.Join(", ", sent)}");
        Assert.Equal(taken.Count, await Database.CountAllocationsAsync(server, id));
    }
}
