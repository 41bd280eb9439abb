using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// An empty <c>tenant_id</c>, in a body or as a query filter, is 400 <c>invalid-request</c> naming it: "" would be a
/// tenant beside having none, owned by no token (a member or reader token needs a tenant), so nothing is created for it.
/// </summary>
public abstract class EmptyTenantIdTests(ApiFixture api) : BadInputTestBase(api)
{
    [Theory]
    [InlineData("/v1/subnets", """{"cidr": "10.96.0.0/24", "tenant_id": ""}""")]
    [InlineData("/v1/subnet-pools", """{"name": "p", "prefixes": ["10.97.0.0/16"], "tenant_id": ""}""")]
    [InlineData("/v1/address-scopes", """{"name": "s", "ip_version": 4, "tenant_id": ""}""")]
    public async Task Create_EmptyTenantId_Returns400NamingTheFieldAndCreatesNothing(string path, string body)
    {
        var before = await Api.ListAllAsync(path);

        var problem = await RejectedAsync(() => Api.PostJsonAsync(path, body));

        Assert.True(problem["errors"]!.AsObject().ContainsKey("tenant_id"), problem.ToJsonString());
        Assert.Equal(before.Select(i => i.ToJsonString()), (await Api.ListAllAsync(path)).Select(i => i.ToJsonString()));
    }

    [Theory]
    [InlineData("/v1/subnets")]
    [InlineData("/v1/subnet-pools")]
    [InlineData("/v1/address-scopes")]
    [InlineData("/v1/events")]
    public async Task Query_EmptyTenantId_Returns400NamingTheParameter(string path)
    {
        var problem = await RejectedAsync(() => Api.Client.GetAsync($"{path}?tenant_id="));

        Assert.True(problem["errors"]!.AsObject().ContainsKey("tenant_id"), problem.ToJsonString());
    }

    [Fact]
    public async Task CreateToken_EmptyTenantId_Returns400NamingTheField()
    {
        var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/tokens", new JsonObject { ["role"] = "member", ["tenant_id"] = "" }.ToJsonString()));

        Assert.True(problem["errors"]!.AsObject().ContainsKey("tenant_id"), problem.ToJsonString());
    }
}

public sealed class EmptyTenantIdTestsOnSqlite(SqliteApiFixture api) : EmptyTenantIdTests(api), IClassFixture<SqliteApiFixture>;

public sealed class EmptyTenantIdTestsOnPostgres(PostgresApiFixture api) : EmptyTenantIdTests(api), IClassFixture<PostgresApiFixture>;

public sealed class EmptyTenantIdTestsOnThreeInstances(ThreeInstancesApiFixture api) : EmptyTenantIdTests(api), IClassFixture<ThreeInstancesApiFixture>;
