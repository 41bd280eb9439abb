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

    [Fact]
    public async Task UnknownRoute_Get_ProblemWithNotFoundCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.GetAsync("/v1/no-such-thing");
        await IpamServer.ExpectProblemAsync(response, 404, "not-found");
    }

    [Fact]
    public async Task WrongMethod_PutOnSubnets_ProblemWithMethodNotAllowedCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.PutAsync("/v1/subnets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await IpamServer.ExpectProblemAsync(response, 405, "method-not-allowed");
    }
}
