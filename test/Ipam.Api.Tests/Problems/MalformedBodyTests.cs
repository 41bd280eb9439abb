using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// Request bodies that are not JSON objects, have wrong types or unknown fields; and the valid baseline
/// requests the bad-input suites depart from.
/// </summary>
public abstract class MalformedBodyTests(ApiFixture api) : BadInputTestBase(api)
{
    private const string V4Subnet = """{"cidr": "10.90.0.0/24"}""";

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"cidr": "10.0.0.0/24" """)]
    [InlineData("""{"cidr": "10.0.0.0/24",}""")]
    [InlineData("""{'cidr': '10.0.0.0/24'}""")]
    [InlineData("cidr=10.0.0.0/24")]
    [InlineData("")]
    [InlineData("null")]
    public async Task CreateSubnet_MalformedJson_Returns400InvalidRequest(string body) => await CreateRejectedAsync(body);

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"cidr": "10.0.0.0/24"}]""")]
    [InlineData("\"10.0.0.0/24\"")]
    [InlineData("42")]
    public async Task CreateSubnet_JsonNotAnObject_Returns400InvalidRequest(string body) => await CreateRejectedAsync(body);

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""[{"strategy": "next"}]""")]
    [InlineData("\"next\"")]
    public async Task Allocate_MalformedOrNonObjectJson_Returns400InvalidRequest(string body) => await AllocateRejectedAsync(body);

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""[{"name": "x"}]""")]
    public async Task UpdateSubnet_MalformedOrNonObjectJson_Returns400InvalidRequest(string body) => await PatchRejectedAsync(body);

    [Theory]
    [InlineData("null")]
    [InlineData(" null\n")]
    public async Task AnyBody_JsonNull_Returns400NotAnObject_NothingChanged(string body)
    {
        var canary = await CanaryAsync();
        var requests = new Func<Task<HttpResponseMessage>>[]
        {
            () => Api.PostJsonAsync($"/v1/subnets/{canary}/allocations", body),
            () => Api.PostJsonAsync("/v1/subnets", body),
            () => Api.PatchJsonAsync($"/v1/subnets/{canary}", body),
            () => Api.PostJsonAsync("/v1/subnet-pools", body),
            () => Api.PostJsonAsync("/v1/address-scopes", body),
        };

        foreach (var send in requests)
        {
            var problem = await RejectedAsync(send, "invalid-request", canary);

            Assert.Equal("The body must be a JSON object.", (string?)problem["detail"]);
            Assert.Equal(["body"], problem["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [Theory]
    [InlineData("""{"cidr": 10}""", "cidr")]
    [InlineData("""{"cidr": ["10.0.0.0/24"]}""", "cidr")]
    [InlineData("""{"cidr": {"network": "10.0.0.0", "prefixlen": 24}}""", "cidr")]
    [InlineData("""{"cidr": "10.0.0.0/24", "name": 5}""", "name")]
    [InlineData("""{"cidr": "10.0.0.0/24", "tenant_id": true}""", "tenant_id")]
    [InlineData("""{"cidr": "10.0.0.0/24", "gateway_ip": 167772161}""", "gateway_ip")]
    [InlineData("""{"cidr": "10.0.0.0/24", "gateway_ip": ["10.0.0.1"]}""", "gateway_ip")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": "10.0.0.5-10.0.0.9"}""", "allocation_pools")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": {"start": "10.0.0.5", "end": "10.0.0.9"}}""", "allocation_pools")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": ["10.0.0.5-10.0.0.9"]}""", "allocation_pools")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": [{"start": 5, "end": 9}]}""", "allocation_pools")]
    [InlineData("""{"cidr": "10.0.0.0/24", "ipv6_address_mode": 1}""", "ipv6_address_mode")]
    public async Task CreateSubnet_WrongType_Returns400InvalidRequestNamingTheField(string body, string field)
    {
        var problem = await CreateRejectedAsync(body);

        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"count": "5"}""", "count")]
    [InlineData("""{"count": 1.5}""", "count")]
    [InlineData("""{"count": true}""", "count")]
    [InlineData("""{"count": [2]}""", "count")]
    [InlineData("""{"ip_address": 167772165}""", "ip_address")]
    [InlineData("""{"mac_address": 5}""", "mac_address")]
    [InlineData("""{"strategy": 1}""", "strategy")]
    [InlineData("""{"owner": 5}""", "owner")]
    [InlineData("""{"description": {"text": "x"}}""", "description")]
    [InlineData("""{"ip_address": "10.90.0.50", "allow_gateway": "yes"}""", "allow_gateway")]
    [InlineData("""{"expires_at": "tomorrow"}""", "expires_at")]
    [InlineData("""{"expires_at": 4102444800}""", "expires_at")]
    [InlineData("""{"expires_at": "2099-01-01"}""", "expires_at")]
    [InlineData("""{"expires_at": "2099-01-01T00:00"}""", "expires_at")]
    public async Task Allocate_WrongType_Returns400InvalidRequestNamingTheField(string body, string field)
    {
        var problem = await AllocateRejectedAsync(body);

        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"name": 5}""")]
    [InlineData("""{"gateway_ip": 5}""")]
    [InlineData("""{"gateway_ip": "1.2.3."}""")]
    [InlineData("""{"allocation_pools": "x"}""")]
    [InlineData("""{"allocation_pools": [{"start": "bad", "end": "10.90.0.9"}]}""")]
    [InlineData("""{"allocation_pools": [{"start": "10.90.0.5"}]}""")]
    [InlineData("""{"allocation_pools": [null]}""")]
    public async Task UpdateSubnet_WrongTypeOrSyntax_Returns400InvalidRequest(string body) => await PatchRejectedAsync(body);


    [Theory]
    [InlineData("""{"cidr": "10.0.0.0/24", "colour": "red"}""", "colour")]
    [InlineData("""{"cidr": "10.0.0.0/24", "gateway": "10.0.0.1"}""", "gateway")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": [{"start": "10.0.0.5", "end": "10.0.0.9", "step": 2}]}""", "step")]
    public async Task CreateSubnet_UnknownField_Returns400InvalidRequest(string body, string field)
    {
        var problem = await CreateRejectedAsync(body);

        Assert.Contains(field, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"colour": "red"}""")]
    [InlineData("""{"ip": "10.90.0.50"}""")]
    [InlineData("""{"strategy": "next", "prefer": "low"}""")]
    public async Task Allocate_UnknownField_Returns400InvalidRequest(string body) => await AllocateRejectedAsync(body);

    [Theory]
    [InlineData("""{"cidr": "10.91.0.0/24"}""")]
    [InlineData("""{"name": "x", "colour": "red"}""")]
    public async Task UpdateSubnet_UnknownOrImmutableField_Returns400InvalidRequest(string body) => await PatchRejectedAsync(body);

    [Theory]
    [InlineData("""{"cidr": "10.0.0.0/24", "cidr": "10.1.0.0/24"}""", "cidr", "is given more than once")]
    [InlineData("""{"cidr": "10.0.0.0/24", "allocation_pools": [{"start": "10.0.0.5", "end": "10.0.0.9", "end": "10.0.0.99"}]}""",
        "allocation_pools[0].end", "is given more than once")]
    [InlineData("""{"cidr": "10.0.0.0/24", "CIDR": "10.1.0.0/24"}""", "CIDR", "Unknown field")]
    [InlineData("""{"Cidr": "10.0.0.0/24"}""", "Cidr", "Unknown field")]
    public async Task CreateSubnet_MemberTwiceOrInAnotherCase_Returns400NamingIt(string body, string field, string message)
    {
        var problem = await CreateRejectedAsync(body);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), problem.ToJsonString());
        Assert.Contains(message, (string?)errors[field]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"owner": "a", "owner": "b"}""")]
    [InlineData("""{"Owner": "a"}""")]
    public async Task Allocate_MemberTwiceOrInAnotherCase_Returns400InvalidRequest(string body) => await AllocateRejectedAsync(body);

    [Theory]
    [InlineData("""{"name": "a", "name": "b"}""")]
    [InlineData("""{"Name": "a"}""")]
    [InlineData("""{"gateway_ip": null, "gateway_ip": "10.90.0.1"}""")]
    public async Task UpdateSubnet_MemberTwiceOrInAnotherCase_Returns400InvalidRequest(string body) => await PatchRejectedAsync(body);

    [Fact]
    public async Task Baseline_ValidRequests_Succeed()
    {
        var created = await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/subnets", V4Subnet), 201);
        var id = Id(created);
        await IpamServer.ExpectAsync(await Api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"count": 10000}"""), 409);
        await IpamServer.ExpectAsync(await Api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"count": 1}"""), 201);
        await IpamServer.ExpectAsync(await Api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"mac_address": "fa:16:3e:00:11:22"}"""), 400);
        await IpamServer.ExpectAsync(await Api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": "x"}"""), 200);
    }
}

public sealed class MalformedBodyTestsOnSqlite(SqliteApiFixture api) : MalformedBodyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class MalformedBodyTestsOnPostgres(PostgresApiFixture api) : MalformedBodyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class MalformedBodyTestsOnThreeInstances(ThreeInstancesApiFixture api) : MalformedBodyTests(api), IClassFixture<ThreeInstancesApiFixture>;
