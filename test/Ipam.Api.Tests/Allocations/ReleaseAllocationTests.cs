using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Releasing an allocation: once, by canonical or non-canonical address, and allocating it again.</summary>
public abstract class ReleaseAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Release_Allocated_Returns204ThenSecondReleaseIs404()
    {
        var id = await SubnetAsync(new { cidr = "10.64.0.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.64.0.10" });
        await Api.AllocateAsync(id, new { ip_address = "10.64.0.11" });

        var response = await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.0.10");

        AssertStatus(response, HttpStatusCode.NoContent);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["10.64.0.11"], await Api.AllocatedAddressesAsync(id));
        Assert.Equal("1", Usage(await Api.GetSubnetAsync(id), "allocated"));
        await ProblemAsync(await Api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.64.0.10"), 404, "allocation-not-found");

        var again = await ProblemAsync(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.0.10"), 404, "allocation-not-found");
        Assert.Equal(id, (string?)again["subnet_id"]);
        Assert.Equal("10.64.0.10", (string?)again["ip_address"]);
        Assert.Equal(["10.64.0.11"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Release_NeverAllocated_Returns404AllocationNotFound()
    {
        var id = await SubnetAsync(new { cidr = "10.64.1.0/24" });

        var problem = await ProblemAsync(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.1.99"), 404, "allocation-not-found");

        Assert.Equal("10.64.1.99", (string?)problem["ip_address"]);
        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Release_UnknownSubnet_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.0.0.5"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Release_NonCanonicalIpv6InPath_ReleasesTheAddress()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:64::/64" });
        await Api.AllocateAsync(id, new { ip_address = "2001:db8:64::5" });

        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/2001:DB8:64:0:0::0005"), HttpStatusCode.NoContent);

        Assert.Empty(await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Release_ThenSpecificAgain_Succeeds()
    {
        var id = await SubnetAsync(new { cidr = "10.64.2.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.64.2.10", owner = "old" });
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.64.2.10"), HttpStatusCode.NoContent);

        var again = await Api.AllocateAsync(id, new { ip_address = "10.64.2.10", owner = "new" });

        Assert.Equal("new", (string?)again["owner"]);
    }
}

public sealed class ReleaseAllocationTestsOnSqlite(SqliteApiFixture api) : ReleaseAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ReleaseAllocationTestsOnPostgres(PostgresApiFixture api) : ReleaseAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ReleaseAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : ReleaseAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
