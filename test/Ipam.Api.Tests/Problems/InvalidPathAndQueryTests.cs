using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

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

    [Fact]
    public async Task AllocationPath_EncodedSlash_Returns400QuotingTheDecodedValue()
    {
        var id = await CanaryAsync();

        foreach (var ip in new[] { "10.90.0.10%2F32", "10.90.0.10%2f32" })
        {
            var problem = await RejectedAsync(() => Api.Client.GetAsync($"/v1/subnets/{id}/allocations/{ip}"), "invalid-request", id);

            Assert.Equal("'10.90.0.10/32' is not a valid IP address.", (string?)problem["errors"]!["ip"]![0]);
        }
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

    [Theory]
    [InlineData("10.90.0.0/24", "2001:db8::1")]
    [InlineData("10.90.0.0/24", "::ffff:10.90.0.11")]
    [InlineData("2001:db8:90::/64", "10.90.0.11")]
    public async Task ListAllocations_CursorOfTheOtherFamily_Returns400NamingCursor(string cidr, string cursor)
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr }));
        await Api.AllocateAsync(subnet, new { strategy = "next" });

        var problem = await RejectedAsync(
            () => Api.Client.GetAsync($"/v1/subnets/{subnet}/allocations?cursor={Uri.EscapeDataString(cursor)}"), "invalid-request", subnet);

        Assert.Equal(["cursor"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains(cursor, (string?)problem["errors"]!["cursor"]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/subnets?limit=5&limit=5", "limit")]
    [InlineData("/v1/subnets?ip_version=4&IP_VERSION=6", "ip_version")]
    [InlineData("/v1/subnets?name=x&tenant_id=a&tenant_id=b", "tenant_id")]
    [InlineData("/v1/subnet-pools?address_scope_id=00000000-0000-0000-0000-000000000001&address_scope_id=00000000-0000-0000-0000-000000000001", "address_scope_id")]
    [InlineData("/v1/address-scopes?ip_version=4&ip_version=4", "ip_version")]
    [InlineData("/v1/allocations?owner=a&owner=b", "owner")]
    [InlineData("/v1/events?after=0&after=0", "after")]
    [InlineData("/v1/addresses/10.90.0.10?at=2026-01-01T00:00:00Z&at=2026-01-01T00:00:00Z", "at")]
    public async Task Query_ParameterGivenTwice_Returns400InvalidRequestNamingIt(string path, string parameter)
    {
        var canary = await CanaryAsync();

        var problem = await RejectedAsync(() => Api.Client.GetAsync(path), "invalid-request", canary);

        Assert.Equal([parameter], problem["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));
        Assert.Contains("may be given once", (string?)problem["errors"]!.AsObject().Single().Value![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubnetQueries_ParameterGivenTwice_Returns400InvalidRequest_NothingChanged()
    {
        var canary = await CanaryAsync();

        await RejectedAsync(() => Api.Client.DeleteAsync($"/v1/subnets/{canary}?force=true&force=true"), "invalid-request", canary);
        await RejectedAsync(() => Api.PostJsonAsync($"/v1/subnets/{canary}/allocations?x=1&x=2", "{}"), "invalid-request", canary);
        await RejectedAsync(() => Api.Client.GetAsync($"/v1/subnets/{canary}/allocations?owner=canary&owner=canary"), "invalid-request", canary);
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
