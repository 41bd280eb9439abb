using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>Per-tenant quotas: addresses for IPv4, /64s for IPv6.</summary>
public abstract class SubnetPoolQuotaTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task Quota_Ipv4_CountsAddressesPerTenant()
    {
        var pool = await CreatePoolAsync(new { name = "q4", prefixes = new[] { "10.130.0.0/16" }, min_prefixlen = 16, default_prefixlen = 24, default_quota = 600 });
        var alice = NewTenant();
        var bob = NewTenant();

        await FromPoolAsync(Id(pool), 24, alice);
        await FromPoolAsync(Id(pool), 25, alice);
        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 24, tenant_id = alice }), 409, "quota-exceeded");

        Assert.Equal(600, (long)problem["quota"]!);
        Assert.Equal(384, (long)problem["used"]!);
        Assert.Equal(256, (long)problem["requested"]!);

        // The rest of the quota is still usable, by size and by specific prefix; other tenants have their own.
        await FromPoolAsync(Id(pool), 26, alice);
        var specific = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.130.200.0/24", tenant_id = alice }), 409, "quota-exceeded");
        Assert.Equal(448, (long)specific["used"]!);
        await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.130.200.0/27", tenant_id = alice }), 201);
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 25, tenant_id = alice }), 409, "quota-exceeded");
        await FromPoolAsync(Id(pool), 23, bob);

        // Deleting a subnet gives its addresses back to the tenant's quota.
        var alices = await Api.ListAllAsync($"/v1/subnets?subnet_pool_id={Id(pool)}&tenant_id={alice}");
        Assert.Equal(4, alices.Count);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{Id(alices.Single(s => (string?)s["cidr"] == "10.130.0.0/24"))}"), HttpStatusCode.NoContent);
        await FromPoolAsync(Id(pool), 24, alice);
    }

    [Fact]
    public async Task Quota_Ipv6_CountsSlash64s()
    {
        // neutron-behaviour.md item 75: quota 1 on IPv6, a /63 is 2 units.
        var pool = await CreatePoolAsync(new { name = "q6", prefixes = new[] { "2001:db8:200::/48" }, min_prefixlen = 48, default_prefixlen = 64, default_quota = 1 });
        var tenant = NewTenant();

        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 63, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(1, (long)problem["quota"]!);
        Assert.Equal(0, (long)problem["used"]!);
        Assert.Equal(2, (long)problem["requested"]!);

        await FromPoolAsync(Id(pool), 64, tenant);
        var full = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 80, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(1, (long)full["used"]!);
        Assert.Equal(1, (long)full["requested"]!);

        // A larger quota: a /48 is 65,536 units, and prefixes longer than /64 still count one /64 each.
        var big = await CreatePoolAsync(new { name = "q6b", prefixes = new[] { "2001:db8:400::/47" }, min_prefixlen = 47, default_quota = 65538 });
        await FromPoolAsync(Id(big), 48, tenant);
        await FromPoolAsync(Id(big), 127, tenant);
        await FromPoolAsync(Id(big), 128, tenant);
        var last = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(big), prefixlen = 96, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(65538, (long)last["used"]!);
        Assert.Equal(1, (long)last["requested"]!);
    }
}

public sealed class SubnetPoolQuotaTestsOnSqlite(SqliteApiFixture api) : SubnetPoolQuotaTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetPoolQuotaTestsOnPostgres(PostgresApiFixture api) : SubnetPoolQuotaTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetPoolQuotaTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetPoolQuotaTests(api), IClassFixture<ThreeInstancesApiFixture>;
