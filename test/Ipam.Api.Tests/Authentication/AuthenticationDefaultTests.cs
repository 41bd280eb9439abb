using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary>Tokens are required unless every listen address is loopback; a token presented is honoured either way.</summary>
public sealed class AuthenticationDefaultTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", null, false)]
    [InlineData("http://localhost:5080;http://[::1]:5081", null, false)]
    [InlineData("http://0.0.0.0:5080", null, true)]
    [InlineData("http://127.0.0.1:5080;http://10.1.2.3:5080", null, true)]
    [InlineData("http://127.0.0.1:5080", true, true)]
    [InlineData("http://0.0.0.0:5080", false, false)]
    public void RequiresTokens_ByListenAddresses_UnlessConfigured(string urls, bool? configured, bool expected)
    {
        var options = new IpamHostOptions { Urls = urls, Authentication = configured };

        Assert.Equal(expected, options.RequiresTokens);
        Assert.Equal(expected ? IpamHostOptions.DefaultRateLimit : 0, options.RequestsPerSecond);
        Assert.Equal(7, (options with { RateLimit = 7 }).RequestsPerSecond);
    }

    [Fact]
    public async Task Server_OnEveryInterface_RequiresTokensByDefault()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, configure: o => o with { Urls = "http://0.0.0.0:0" });

        await ExpectUnauthenticatedAsync(await server.Client.GetAsync("/v1/subnets"));
        Assert.Equal(200, (int)(await server.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task LoopbackServer_WithoutToken_ActsAsAnonymousAdmin_AndAPresentedTokenIsChecked()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var member = await server.TokenAsync(CallerRole.Member, "acme");

        await server.CreateSubnetAsync(new { cidr = "10.9.0.0/24", tenant_id = "acme" });
        var created = await PostAsync(server.Client, "/v1/subnets", new { cidr = "10.9.1.0/24", tenant_id = "acme" }, member.Secret);
        await ExpectUnauthenticatedAsync(await GetAsync(server.Client, "/v1/subnets", "ipam_bad"));

        Assert.Equal(201, (int)created.StatusCode);
        var events = await server.GetJsonAsync("/v1/events?tenant_id=acme");
        var actors = events["items"]!.AsArray().Where(e => (string?)e!["type"] == ChangeTypes.SubnetCreated).Select(e => (string?)e!["actor"]);
        Assert.Equal([Actors.Anonymous, member.Token.Id.ToString()], actors);
    }
}
