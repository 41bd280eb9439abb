using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary>Three instances on one database: a token revoked through one is refused by every one on its next request.</summary>
public sealed class RevocationAcrossInstancesTests
{
    [Fact]
    public async Task Revoke_ThroughOneInstance_EveryInstanceRefusesTheNextRequest()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var created = await CreateAsync(server.InstanceClients[2], admin, new { role = "member", tenant_id = "acme" });
        var token = (string)created["token"]!;
        foreach (var instance in server.InstanceClients)
        {
            Assert.Equal(200, (int)(await GetAsync(instance, "/v1/subnets", token)).StatusCode);
        }

        Assert.Equal(204, (int)(await DeleteAsync(server.InstanceClients[1], $"/v1/tokens/{created["id"]}", admin)).StatusCode);

        foreach (var instance in server.InstanceClients)
        {
            await ExpectUnauthenticatedAsync(await GetAsync(instance, "/v1/subnets", token));
        }

        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", admin)).StatusCode);
    }
}
