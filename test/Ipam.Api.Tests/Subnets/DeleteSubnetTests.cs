using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>Deleting subnets: refused while allocations exist unless forced.</summary>
public abstract class DeleteSubnetTests(ApiFixture api)
{
    [Fact]
    public async Task Delete_UnknownId_Returns404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Delete_EmptySubnet_Returns204ThenNotFound()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.0.0/24" }));

        var response = await api.Client.DeleteAsync($"/v1/subnets/{id}");

        AssertStatus(response, HttpStatusCode.NoContent);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        Assert.Equal(id, (string?)problem["subnet_id"]);
        await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        Assert.DoesNotContain(id, (await api.ListAllAsync("/v1/subnets")).Select(Id));
    }

    [Fact]
    public async Task Delete_WithAllocations_Returns409InUseWithReferencesAndChangesNothing()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.1.0/24" }));
        await api.AllocateAsync(id, new { ip_address = "10.30.1.10" });
        await api.AllocateAsync(id, new { ip_address = "10.30.1.11" });
        var before = await api.SnapshotAsync(id);

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnets/{id}"), 409, "in-use");

        var references = Assert.IsType<JsonObject>(problem["references"]);
        Assert.NotEmpty(references);
        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Delete_ForceWithAllocations_DeletesSubnetAndItsAllocations()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.2.0/24" }));
        await api.AllocateAsync(id, new { count = 3 });
        var other = Id(await api.CreateSubnetAsync(new { cidr = "10.30.2.0/24" }));
        await api.AllocateAsync(other, new { ip_address = "10.30.2.10" });

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations"), 404, "subnet-not-found");
        // The overlapping subnet and its allocation are untouched.
        Assert.Equal(["10.30.2.10"], await api.AllocatedAddressesAsync(other));
    }

    [Fact]
    public async Task Delete_ForceOnEmptySubnet_Returns204()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.3.0/24" }));

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");
    }

    [Fact]
    public async Task Delete_AfterReleasingAllAllocations_Returns204()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.30.4.0/24" }));
        await api.AllocateAsync(id, new { ip_address = "10.30.4.10" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.30.4.10"), HttpStatusCode.NoContent);

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}"), HttpStatusCode.NoContent);
    }
}

public sealed class DeleteSubnetTestsOnSqlite(SqliteApiFixture api) : DeleteSubnetTests(api), IClassFixture<SqliteApiFixture>;

public sealed class DeleteSubnetTestsOnPostgres(PostgresApiFixture api) : DeleteSubnetTests(api), IClassFixture<PostgresApiFixture>;

public sealed class DeleteSubnetTestsOnThreeInstances(ThreeInstancesApiFixture api) : DeleteSubnetTests(api), IClassFixture<ThreeInstancesApiFixture>;
