using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;
using static Ipam.Api.Tests.Instances.InstanceRequests;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Three instances on one database and a subnet with a reuse cooldown: an address another instance allocated and
/// released since this instance last looked is cooling down here too, though this instance's index still showed it
/// free when it picked (a pick made before the catch-up read of the log, sent with it).
/// </summary>
public sealed class CooldownAcrossInstancesTests
{
    [Theory]
    [InlineData("next")]
    [InlineData("random")]
    public async Task AllocatedAndReleasedOnAnotherInstance_IsNotHandedOutWithinTheCooldown(string strategy)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b) = (server.InstanceClients[0], server.InstanceClients[1]);

        // A /30 has two pool addresses, .1 (no gateway) and .2.
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.81.0.0/30", gateway_ip = (string?)null, reuse_cooldown_seconds = 600 }));
        Assert.Equal("10.81.0.1", await NextAsync(a, id));
        Assert.Equal("10.81.0.2", await NextAsync(b, id));
        await ReleaseAsync(b, id, "10.81.0.2");

        var problem = await IpamServer.ExpectProblemAsync(
            await a.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy }), 409, "pool-exhausted");
        Assert.Equal("cooling-down", (string?)problem["reason"]);
        Assert.Equal(0, (int)problem["free"]!);
        Assert.Equal(1, (int)problem["cooling_down"]!);

        // The refused pick left the address cooling, not free, in that instance's index.
        await ExhaustedAsync(a, id, new { strategy = "next" }, requested: 1, free: 0, poolSize: 2, allocated: 1);
    }

    [Fact]
    public async Task AllocatedAndReleasedOnAnotherInstance_NextTakesTheAddressAfterIt()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b) = (server.InstanceClients[0], server.InstanceClients[1]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.81.1.0/24", reuse_cooldown_seconds = 600 }));
        Assert.Equal("10.81.1.2", await NextAsync(a, id));
        Assert.Equal("10.81.1.3", await NextAsync(b, id));
        await ReleaseAsync(b, id, "10.81.1.3");

        Assert.Equal("10.81.1.4", await NextAsync(a, id));
        Assert.Equal("10.81.1.5", await NextAsync(a, id));
        Assert.Equal("10.81.1.6", await NextAsync(b, id));
    }
}
