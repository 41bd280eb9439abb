using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Health;

/// <summary><c>/healthz</c> and <c>/readyz</c>.</summary>
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
}
