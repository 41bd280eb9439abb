using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Hosting;

public sealed class SmokeTests
{
    [Fact]
    public async Task CreateAllocateRelease_SmallSubnet_RoundTrips()
    {
        await using var server = await IpamServer.StartAsync();
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.0.0.0/29", name = "smoke" });
        var id = (string)subnet["id"]!;
        Assert.Equal("10.0.0.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(5, (int)subnet["usage"]!["total"]!);

        var next = await server.AllocateAsync(id, new { strategy = "next" });
        Assert.Equal("10.0.0.2", (string?)next["ip_address"]);

        var release = await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.0.0.2");
        Assert.Equal(204, (int)release.StatusCode);
    }
}
