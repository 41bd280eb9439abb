using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests;

/// <summary>
/// Malformed and invalid input: every case is a 400 <c>application/problem+json</c> with a stable code and an
/// <c>errors</c> object, exposes no internals, and leaves every subnet and allocation as it was.
/// </summary>
public abstract class BadInputTests(ApiFixture api)
{
    private const string V4Subnet = """{"cidr": "10.90.0.0/24"}""";

    /// <summary>A subnet with two allocations, so that a wrongly accepted request would show.</summary>
    private async Task<string> CanaryAsync(object? body = null)
    {
        var id = Id(await api.CreateSubnetAsync(body ?? new { cidr = "10.90.0.0/24", name = "canary" }));
        await api.AllocateAsync(id, new { ip_address = "10.90.0.10", owner = "canary" });
        await api.AllocateAsync(id, new { ip_address = "10.90.0.11" });
        return id;
    }

    /// <summary>Sends a request that must be rejected and checks that nothing changed.</summary>
    private async Task<JsonObject> RejectedAsync(Func<Task<HttpResponseMessage>> send, string code = "invalid-request", params string[] subnetIds)
    {
        var before = await api.SnapshotAsync(subnetIds);
        var response = await send();
        var text = await response.Content.ReadAsStringAsync();

        var problem = await ValidationProblemAsync(response, code);

        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Ipam.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean to use a Service", text, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync(subnetIds));
        return problem;
    }

    private Task<JsonObject> CreateRejectedAsync(string body, string code = "invalid-request") =>
        RejectedAsync(() => api.PostJsonAsync("/v1/subnets", body), code);

    private async Task<JsonObject> AllocateRejectedAsync(string body, string code = "invalid-request")
    {
        var id = await CanaryAsync();
        return await RejectedAsync(() => api.PostJsonAsync($"/v1/subnets/{id}/allocations", body), code, id);
    }

    private async Task<JsonObject> PatchRejectedAsync(string body, string code = "invalid-request")
    {
        var id = await CanaryAsync();
        return await RejectedAsync(() => api.PatchJsonAsync($"/v1/subnets/{id}", body), code, id);
    }

    // ---- malformed bodies ----

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

    // ---- wrong types ----

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

    // ---- unknown fields ----

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

    // ---- CIDR ----

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name": "no cidr"}""")]
    [InlineData("""{"cidr": null}""")]
    [InlineData("""{"cidr": ""}""")]
    [InlineData("""{"cidr": "   "}""")]
    public async Task CreateSubnet_MissingCidr_Returns400InvalidRequest(string body)
    {
        var problem = await CreateRejectedAsync(body);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("cidr"));
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("/24")]
    [InlineData("10.0.0.0/abc")]
    [InlineData("10.0.0.0/24/8")]
    [InlineData("10.0.0.256/24")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0 /24")]
    [InlineData("2001:db8::/")]
    [InlineData("2001:db8:::/64")]
    [InlineData("fe80::%eth0/64")]
    public async Task CreateSubnet_InvalidCidrSyntax_Returns400InvalidRequest(string cidr)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("cidr"));
    }

    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.0/24")]
    [InlineData("192.168.1.130/25", "192.168.1.128/25")]
    [InlineData("2001:db8::1/64", "2001:db8::/64")]
    [InlineData("2001:db8:0:0:1::/64", "2001:db8::/64")]
    public async Task CreateSubnet_CidrWithHostBits_Returns400SuggestingTheNetwork(string cidr, string network)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());

        var messages = string.Join(" ", problem["errors"]!["cidr"]!.AsArray().Select(m => (string?)m));
        Assert.Contains(network, messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/128")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/1000")]
    public async Task CreateSubnet_PrefixLengthBeyondFamily_Returns400InvalidRequest(string cidr) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr }.ToJsonString());

    // ---- pools and gateway on create ----

    [Theory]
    [InlineData("""[{"start": "10.1.0.5", "end": "10.1.0.9"}]""")]
    [InlineData("""[{"start": "10.0.0.250", "end": "10.0.1.5"}]""")]
    [InlineData("""[{"start": "2001:db8::5", "end": "2001:db8::9"}]""")]
    [InlineData("""[{"start": "10.0.0.5", "end": "2001:db8::9"}]""")]
    [InlineData("""[{"start": "10.0.0.9", "end": "10.0.0.5"}]""")]
    [InlineData("""[{"start": "10.0.0.5", "end": "10.0.0.9"}, {"start": "10.0.0.9", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.1", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.0", "end": "10.0.0.20"}]""")]
    [InlineData("""[{"start": "10.0.0.200", "end": "10.0.0.255"}]""")]
    public async Task CreateSubnet_InvalidAllocationPools_Returns400InvalidAllocationPools(string pools)
    {
        var problem = await CreateRejectedAsync($$"""{"cidr": "10.0.0.0/24", "allocation_pools": {{pools}}}""", "invalid-allocation-pools");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("allocation_pools"));
    }

    [Fact]
    public async Task CreateSubnet_Ipv4PoolOnIpv6Subnet_Returns400InvalidAllocationPools() =>
        await CreateRejectedAsync("""{"cidr": "2001:db8::/64", "allocation_pools": [{"start": "10.0.0.5", "end": "10.0.0.9"}]}""", "invalid-allocation-pools");

    [Theory]
    [InlineData("1.2.3.")]
    [InlineData("10.0.0.300")]
    [InlineData("gateway")]
    [InlineData("")]
    [InlineData("10.0.0.1/24")]
    [InlineData("2001:db8::g")]
    public async Task CreateSubnet_InvalidGatewaySyntax_Returns400InvalidRequest(string gateway)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = "10.0.0.0/24", ["gateway_ip"] = gateway }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0")]
    [InlineData("10.0.0.0/24", "10.0.0.255")]
    [InlineData("10.0.0.0/24", "2001:db8::1")]
    [InlineData("2001:db8::/64", "10.0.0.1")]
    public async Task CreateSubnet_UnusableGateway_Returns400InvalidGateway(string cidr, string gateway)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr, ["gateway_ip"] = gateway }.ToJsonString(), "invalid-gateway");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("gateway_ip"));
    }

    // ---- IPv6 address modes ----

    [Theory]
    [InlineData("slaac2")]
    [InlineData("dhcpv6")]
    [InlineData("SLAAC")]
    [InlineData("")]
    public async Task CreateSubnet_UnknownIpv6AddressMode_Returns400InvalidRequest(string mode)
    {
        var problem = await CreateRejectedAsync(new JsonObject { ["cidr"] = "2001:db8::/64", ["ipv6_address_mode"] = mode }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("ipv6_address_mode"));
    }

    [Theory]
    [InlineData("slaac")]
    [InlineData("dhcpv6-stateful")]
    [InlineData("dhcpv6-stateless")]
    public async Task CreateSubnet_Ipv6AddressModeOnIpv4_Returns400InvalidRequest(string mode) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = "10.0.0.0/24", ["ipv6_address_mode"] = mode }.ToJsonString());

    [Theory]
    [InlineData("slaac", "2001:db8::/56")]
    [InlineData("slaac", "2001:db8::/80")]
    [InlineData("dhcpv6-stateless", "2001:db8::/56")]
    public async Task CreateSubnet_AutoconfiguredModeOnNonSlash64_Returns400InvalidRequest(string mode, string cidr) =>
        await CreateRejectedAsync(new JsonObject { ["cidr"] = cidr, ["ipv6_address_mode"] = mode }.ToJsonString());

    // ---- allocation requests ----

    [Theory]
    [InlineData("zz:16:3e:00:11:22")]
    [InlineData("fa:16:3e:00:11")]
    [InlineData("fa:16:3e:00:11:22:33")]
    [InlineData("fa:16:3e:00:11:2")]
    [InlineData("fa16.3e00.112")]
    [InlineData("fa163e001122x")]
    [InlineData("")]
    [InlineData("10.90.0.5")]
    public async Task Allocate_BadMacSyntax_Returns400InvalidRequest(string mac)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["mac_address"] = mac }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("mac_address"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("10.90.0")]
    [InlineData("10.90.0.256")]
    [InlineData("10.90.0.50/32")]
    [InlineData("")]
    public async Task Allocate_BadIpAddressSyntax_Returns400InvalidRequest(string ip)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["ip_address"] = ip }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("ip_address"));
    }

    [Fact]
    public async Task Allocate_MacAndIpTogether_Returns400InvalidRequest() =>
        await AllocateRejectedAsync("""{"ip_address": "10.90.0.50", "mac_address": "fa:16:3e:00:11:22"}""");

    [Theory]
    [InlineData("""{"ip_address": "10.90.0.50", "count": 2}""")]
    [InlineData("""{"ip_address": "10.90.0.50", "strategy": "next"}""")]
    [InlineData("""{"mac_address": "fa:16:3e:00:11:22", "count": 1}""")]
    public async Task Allocate_SpecificWithStrategyOrCount_Returns400InvalidRequest(string body) => await AllocateRejectedAsync(body);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10001")]
    [InlineData("1e30")]
    [InlineData("2147483648")]
    public async Task Allocate_CountOutOfRange_Returns400InvalidRequest(string count)
    {
        var problem = await AllocateRejectedAsync($$"""{"count": {{count}}}""");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("count"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("lowest")]
    public async Task Allocate_UnknownStrategy_Returns400InvalidRequest(string strategy)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["strategy"] = strategy }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("strategy"));
    }

    [Fact]
    public async Task Allocate_IdempotencyKeyTooLong_Returns400InvalidRequest()
    {
        var id = await CanaryAsync();

        await RejectedAsync(() => api.AllocateWithKeyAsync(id, new string('k', 256), new { }), "invalid-request", id);
    }

    // ---- path parameters ----

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("10.90.0.256")]
    [InlineData("10.90.0")]
    public async Task AllocationPath_BadIp_Returns400InvalidRequest(string ip)
    {
        var id = await CanaryAsync();

        await RejectedAsync(() => api.Client.GetAsync($"/v1/subnets/{id}/allocations/{ip}"), "invalid-request", id);
        await RejectedAsync(() => api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{ip}"), "invalid-request", id);
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
            () => api.Client.GetAsync($"/v1/subnets/{id}"),
            () => api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": "x"}"""),
            () => api.Client.DeleteAsync($"/v1/subnets/{id}"),
            () => api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"),
            () => api.PostJsonAsync($"/v1/subnets/{id}/allocations", "{}"),
            () => api.Client.GetAsync($"/v1/subnets/{id}/allocations"),
            () => api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.90.0.10"),
            () => api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.90.0.10"),
        };

        foreach (var send in requests)
        {
            await RejectedAsync(send, "invalid-request", canary);
        }
    }

    // ---- query parameters ----

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

        var problem = await RejectedAsync(() => api.Client.GetAsync($"/v1/subnets?{query}"), "invalid-request", canary);

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

        var problem = await RejectedAsync(() => api.Client.GetAsync($"/v1/subnets/{canary}/allocations?{query}"), "invalid-request", canary);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(query.Split('=')[0]), problem.ToJsonString());
    }

    [Fact]
    public async Task ListSubnets_LimitAtBounds_Accepted()
    {
        await api.GetJsonAsync("/v1/subnets?limit=1");
        await api.GetJsonAsync("/v1/subnets?limit=1000");
    }

    [Fact]
    public async Task DeleteSubnet_InvalidForceValue_Returns400InvalidRequest()
    {
        var canary = await CanaryAsync();

        var problem = await RejectedAsync(() => api.Client.DeleteAsync($"/v1/subnets/{canary}?force=maybe"), "invalid-request", canary);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("force"), problem.ToJsonString());
    }

    // ---- sanity: the baseline requests used above are valid ----

    [Fact]
    public async Task Baseline_ValidRequests_Succeed()
    {
        var created = await IpamServer.ExpectAsync(await api.PostJsonAsync("/v1/subnets", V4Subnet), 201);
        var id = Id(created);
        await IpamServer.ExpectAsync(await api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"count": 10000}"""), 409);
        await IpamServer.ExpectAsync(await api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"count": 1}"""), 201);
        await IpamServer.ExpectAsync(await api.PostJsonAsync($"/v1/subnets/{id}/allocations", """{"mac_address": "fa:16:3e:00:11:22"}"""), 400);
        await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnets/{id}", """{"name": "x"}"""), 200);
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApiFixture api) : BadInputTests(api), IClassFixture<SqliteApiFixture>;

public sealed class BadInputTestsOnPostgres(PostgresApiFixture api) : BadInputTests(api), IClassFixture<PostgresApiFixture>;
