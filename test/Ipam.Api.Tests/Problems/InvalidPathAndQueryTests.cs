using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>Invalid path and query parameters: addresses, ids, paging and <c>force</c>.</summary>
public abstract class InvalidPathAndQueryTests(ApiFixture api) : BadInputTestBase(api)
{
    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("10.90.0.256")]
    [InlineData("10.90.0")]
    public async Task AllocationPath_BadIp_Returns400InvalidRequest(string ip)
    {
        var id = await CanaryAsync();

        await RejectedAsync(() => Api.Client.GetAsync($"/v1/subnets/{id}/allocations/{ip}"), "invalid-request", id);
        await RejectedAsync(() => Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{ip}"), "invalid-request", id);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12345")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950ez")]
    public async Task SubnetPath_NonUuidId_Returns400InvalidRequest(string id)
    {
        var canary = await CanaryAsync();
        var requests = new Func<Task<HttpResponseMessage>>[]
        {
            () => Api.Client.GetAsync($"/v1/subnets/{id}"),
            () => Api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": "x"}"""),
            () => Api.Client.DeleteAsync($"/v1/subnets/{id}"),
            () => Api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"),
            () => Api.PostJsonAsync($"/v1/subnets/{id}/allocations", "{}"),
            () => Api.Client.GetAsync($"/v1/subnets/{id}/allocations"),
            () => Api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.90.0.10"),
            () => Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.90.0.10"),
        };

        foreach (var send in requests)
        {
            await RejectedAsync(send, "invalid-request", canary);
        }
    }


    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("limit=1001")]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("ip_version=5")]
    [InlineData("ip_version=v4")]
    [InlineData("cursor=not-a-uuid")]
    public async Task ListSubnets_InvalidQuery_Returns400InvalidRequest(string query)
    {
        var canary = await CanaryAsync();

        var problem = await RejectedAsync(() => Api.Client.GetAsync($"/v1/subnets?{query}"), "invalid-request", canary);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(query.Split('=')[0]), problem.ToJsonString());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-an-ip")]
    public async Task ListAllocations_InvalidQuery_Returns400InvalidRequest(string query)
    {
        var canary = await CanaryAsync();

        var problem = await RejectedAsync(() => Api.Client.GetAsync($"/v1/subnets/{canary}/allocations?{query}"), "invalid-request", canary);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(query.Split('=')[0]), problem.ToJsonString());
    }

    [Fact]
    public async Task ListSubnets_LimitAtBounds_Accepted()
    {
        await Api.GetJsonAsync("/v1/subnets?limit=1");
        await Api.GetJsonAsync("/v1/subnets?limit=1000");
    }

    [Fact]
    public async Task DeleteSubnet_InvalidForceValue_Returns400InvalidRequest()
    {
        var canary = await CanaryAsync();

        var problem = await RejectedAsync(() => Api.Client.DeleteAsync($"/v1/subnets/{canary}?force=maybe"), "invalid-request", canary);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("force"), problem.ToJsonString());
    }
}

public sealed class InvalidPathAndQueryTestsOnSqlite(SqliteApiFixture api) : InvalidPathAndQueryTests(api), IClassFixture<SqliteApiFixture>;

public sealed class InvalidPathAndQueryTestsOnPostgres(PostgresApiFixture api) : InvalidPathAndQueryTests(api), IClassFixture<PostgresApiFixture>;

public sealed class InvalidPathAndQueryTestsOnThreeInstances(ThreeInstancesApiFixture api) : InvalidPathAndQueryTests(api), IClassFixture<ThreeInstancesApiFixture>;
