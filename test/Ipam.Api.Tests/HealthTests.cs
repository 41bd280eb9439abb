using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_Running_Returns200()
    {
        await using var server = await IpamServer.StartAsync();
        var body = await server.GetJsonAsync("/healthz");
        Assert.Equal("ok", (string?)body["status"]);
    }

    [Fact]
    public async Task Readyz_DatabaseReachable_Returns200()
    {
        await using var server = await IpamServer.StartAsync();
        var body = await server.GetJsonAsync("/readyz");
        Assert.Equal("ready", (string?)body["status"]);
    }

    [Fact]
    public async Task OpenApi_Document_ListsSubnetAndAllocationPaths()
    {
        await using var server = await IpamServer.StartAsync();
        var document = await server.GetJsonAsync("/openapi/v1.json");
        var paths = document["paths"]!.AsObject();
        Assert.Contains("/v1/subnets", paths.Select(p => p.Key));
        Assert.Contains("/v1/subnets/{id}/allocations", paths.Select(p => p.Key));
        Assert.Contains("/v1/subnets/{id}/allocations/{ip}", paths.Select(p => p.Key));
    }
}
