using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Instances.InstanceRequests;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// A subnet deleted and created again under the same caller-chosen id, through one instance, is a new subnet to
/// every other instance, even one that still holds the old subnet's index.
/// </summary>
public sealed class SubnetRecreatedAcrossInstancesTests
{
    [Fact]
    public async Task Recreate_SameIdOtherCidr_AnotherInstanceAllocatesInTheNewSubnet()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b) = (server.InstanceClients[0], server.InstanceClients[1]);
        var id = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await a.PostAsJsonAsync("/v1/subnets", new { id, cidr = "10.81.0.0/24" }), 201);
        Assert.Equal("10.81.0.2", await NextAsync(b, id));
        await ReleaseAsync(b, id, "10.81.0.2");

        ApiFixture.AssertStatus(await a.DeleteAsync($"/v1/subnets/{id}"), System.Net.HttpStatusCode.NoContent);
        await IpamServer.ExpectAsync(await a.PostAsJsonAsync("/v1/subnets", new { id, cidr = "10.82.0.0/28" }), 201);

        Assert.Equal("10.82.0.2", await NextAsync(b, id));
        await ExhaustedAsync(b, id, new { count = 14 }, requested: 14, free: 12, poolSize: 13, allocated: 1);
    }
}
