using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>Deleting a subnet pool: refused while subnets are allocated from it.</summary>
public abstract class DeleteSubnetPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task Delete_WhileSubnetsAllocated_409ThenGone()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.120.0.0/24" }, min_prefixlen = 24 });
        var subnet = await FromPoolAsync(Id(pool));

        var problem = await ProblemAsync(await Api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), 409, "in-use");
        Assert.Equal(1, (int)problem["references"]!["subnets"]!);

        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}"), HttpStatusCode.NoContent);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), HttpStatusCode.NoContent);
        await ProblemAsync(await Api.Client.GetAsync($"/v1/subnet-pools/{Id(pool)}"), 404, "subnet-pool-not-found");
        await ProblemAsync(await Api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), 404, "subnet-pool-not-found");
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool) }), 404, "subnet-pool-not-found");
    }
}

public sealed class DeleteSubnetPoolTestsOnSqlite(SqliteApiFixture api) : DeleteSubnetPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class DeleteSubnetPoolTestsOnPostgres(PostgresApiFixture api) : DeleteSubnetPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class DeleteSubnetPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : DeleteSubnetPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
