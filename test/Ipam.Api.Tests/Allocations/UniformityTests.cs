using System.Net.Http.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// Random allocation must be uniform over all free pool addresses, not over a window near the start of the
/// pool. Fixed seeds make these statistical tests deterministic.
/// </summary>
public sealed class UniformityTests
{
    [Fact]
    public async Task AllocateRandom_FragmentedPool_ChiSquareAcceptsUniform()
    {
        await using var server = await IpamServer.StartAsync(new SeededRandomSource(20261125), durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.50.0.0/22" });
        var id = Guid.Parse((string)subnet["id"]!);
        var service = server.Services.GetRequiredService<AllocationService>();

        // Fragment the pool: take runs of varying length so that the free set is scattered over the /22.
        var taken = Uniformity.ScatteredTaken(2, 1022, seed: 7).Select(o => (UInt128)o).ToHashSet();

        var network = IpAddress.Parse("10.50.0.0");
        foreach (var chunk in taken.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(o => service.AllocateAsync(id, new AllocationRequest { Address = network.Add(o) })));
        }

        var free = Enumerable.Range(2, 1021).Select(o => (UInt128)o).Where(o => !taken.Contains(o)).ToArray();
        const int samplesPerAddress = 12;
        var counts = free.ToDictionary(o => o, _ => 0);
        for (var i = 0; i < free.Length * samplesPerAddress; i++)
        {
            var address = (await service.AllocateAsync(id, new AllocationRequest()))[0].Address;
            counts[address.Value - network.Value]++;
            await service.ReleaseAsync(id, address);
        }

        Uniformity.AssertUniform(counts, samplesPerAddress);
    }

    [Fact]
    public async Task AllocateRandom_Ipv6Slash64_SpreadsOverWholeInterfaceIdSpace()
    {
        await using var server = await IpamServer.StartAsync(new SeededRandomSource(42));
        var subnet = await server.CreateSubnetAsync(new { cidr = "2001:db8:5::/64" });
        var id = (string)subnet["id"]!;
        var response = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 400 });
        var items = (await IpamServer.ExpectAsync(response, 201))["items"]!.AsArray();

        var offsets = items.Select(i => IpAddress.Parse((string)i!["ip_address"]!).Value & ulong.MaxValue).ToArray();
        var quarters = offsets.GroupBy(o => (int)(o >> 62)).ToDictionary(g => g.Key, g => g.Count());
        // 400 uniform draws put 100 in each quarter of the /64 on average; a window near the start would put all in the first.
        Assert.All(Enumerable.Range(0, 4), q => Assert.InRange(quarters.GetValueOrDefault(q), 60, 140));
    }
}
