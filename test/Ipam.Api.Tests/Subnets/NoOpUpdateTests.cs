using Ipam.Api.Tests.Infrastructure;
using Ipam.Api.Tests.SubnetPools;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// A PATCH that changes nothing leaves the stored revision alone, so that no instance throws away the free
/// space it has cached (neutron-behaviour.md item 66); a real change still moves it.
/// </summary>
public abstract class NoOpUpdateTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task UpdateSubnet_SameValues_RevisionUnchanged_RealChangeBumpsIt()
    {
        var subnet = await Api.CreateSubnetAsync(new
        {
            cidr = "10.150.0.0/24",
            name = "same",
            gateway_ip = "10.150.0.1",
            allocation_pools = new[] { new { start = "10.150.0.100", end = "10.150.0.150" }, new { start = "10.150.0.10", end = "10.150.0.20" } },
        });
        var id = Guid.Parse(Id(subnet));
        var before = await SubnetRevisionAsync(id);

        var unchanged = await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnets/{id}", new
        {
            name = "same",
            gateway_ip = "10.150.0.1",
            allocation_pools = new[] { new { start = "10.150.0.10", end = "10.150.0.20" }, new { start = "10.150.0.100", end = "10.150.0.150" } },
        }), 200);
        await IpamServer.ExpectAsync(await Api.PatchJsonAsync($"/v1/subnets/{id}", "{}"), 200);

        Assert.Equal(before, await SubnetRevisionAsync(id));
        Assert.Equal("same", (string?)unchanged["name"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(unchanged));

        await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnets/{id}", new { name = "different" }), 200);
        Assert.Equal(before + 1, await SubnetRevisionAsync(id));
    }

    [Fact]
    public async Task UpdateSubnetPool_SameValues_RevisionUnchanged_RealChangeBumpsIt()
    {
        var pool = await CreatePoolAsync(new { name = "same", prefixes = new[] { "10.151.0.0/24", "10.152.0.0/24" }, min_prefixlen = 24 });
        var id = Guid.Parse(Id(pool));
        var before = await PoolRevisionAsync(id);

        var unchanged = await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnet-pools/{id}", new
        {
            name = "same",
            prefixes = new[] { "10.152.0.0/24", "10.151.0.0/24" },
            min_prefixlen = 24,
        }), 200);

        Assert.Equal(before, await PoolRevisionAsync(id));
        Assert.Equal(Prefixes(pool), Prefixes(unchanged));

        await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnet-pools/{id}", new { add_prefixes = new[] { "10.153.0.0/24" } }), 200);
        Assert.Equal(before + 1, await PoolRevisionAsync(id));
    }

    private Task<long> SubnetRevisionAsync(Guid id) =>
        Store.ReadAsync(async (session, ct) => (await session.FindSubnetAsync(id, RowLock.None, ct).ConfigureAwait(false))!.Revision);

    private Task<long> PoolRevisionAsync(Guid id) =>
        Store.ReadAsync(async (session, ct) => (await session.FindSubnetPoolAsync(id, RowLock.None, ct).ConfigureAwait(false))!.Revision);

    private IIpamStore Store => Api.Server.Services.GetRequiredService<IIpamStore>();
}

public sealed class NoOpUpdateTestsOnSqlite(SqliteApiFixture api) : NoOpUpdateTests(api), IClassFixture<SqliteApiFixture>;

public sealed class NoOpUpdateTestsOnPostgres(PostgresApiFixture api) : NoOpUpdateTests(api), IClassFixture<PostgresApiFixture>;

public sealed class NoOpUpdateTestsOnThreeInstances(ThreeInstancesApiFixture api) : NoOpUpdateTests(api), IClassFixture<ThreeInstancesApiFixture>;
