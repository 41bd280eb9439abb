using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Scopes;

/// <summary><c>/v1/address-scopes</c>: CRUD, the in-use rule, and non-overlapping subnet pools within a scope.</summary>
public abstract class AddressScopesApiTests(ApiFixture api)
{
    private async Task<JsonObject> CreateScopeAsync(int version = 4, string name = "scope") =>
        await IpamServer.ExpectAsync(await api.PostAsync("/v1/address-scopes", new { name, ip_version = version }), 201);

    private Task<HttpResponseMessage> PostPoolAsync(string? scopeId, params string[] prefixes) =>
        api.PostAsync("/v1/subnet-pools", new { name = "pool", prefixes, address_scope_id = scopeId });

    [Fact]
    public async Task Create_ThenGetListDelete()
    {
        var response = await api.PostAsync("/v1/address-scopes", new { name = "blue", ip_version = 6, tenant_id = "t1" });
        var scope = await IpamServer.ExpectAsync(response, 201);

        Assert.Equal("blue", (string?)scope["name"]);
        Assert.Equal(6, (int)scope["ip_version"]!);
        Assert.Equal("t1", (string?)scope["tenant_id"]);
        Assert.Equal($"/v1/address-scopes/{Id(scope)}", response.Headers.Location?.OriginalString);
        Assert.True(JsonNode.DeepEquals(scope, await api.GetJsonAsync($"/v1/address-scopes/{Id(scope)}")));
        Assert.Contains(Id(scope), (await api.ListAllAsync("/v1/address-scopes?ip_version=6", limit: 1)).Select(Id));
        Assert.DoesNotContain(Id(scope), (await api.ListAllAsync("/v1/address-scopes?ip_version=4")).Select(Id));

        AssertStatus(await api.Client.DeleteAsync($"/v1/address-scopes/{Id(scope)}"), HttpStatusCode.NoContent);
        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/address-scopes/{Id(scope)}"), 404, "address-scope-not-found");
        Assert.Equal(Id(scope), (string?)problem["address_scope_id"]);
        await ProblemAsync(await api.Client.DeleteAsync($"/v1/address-scopes/{Id(scope)}"), 404, "address-scope-not-found");
    }

    [Theory]
    [InlineData("""{"name":"s"}""", "ip_version")]
    [InlineData("""{"name":"s","ip_version":5}""", "ip_version")]
    [InlineData("""{"name":"s","ip_version":"4"}""", "ip_version")]
    [InlineData("""{"ip_version":4}""", "name")]
    [InlineData("""{"name":" ","ip_version":4}""", "name")]
    public async Task Create_Invalid_400(string body, string field)
    {
        var problem = await ValidationProblemAsync(await api.PostJsonAsync("/v1/address-scopes", body));

        Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Delete_WhilePoolsReferenceIt_409InUse()
    {
        var scope = await CreateScopeAsync();
        var pool = await IpamServer.ExpectAsync(await PostPoolAsync(Id(scope), "172.20.0.0/16"), 201);
        Assert.Equal(Id(scope), (string?)pool["address_scope_id"]);

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/address-scopes/{Id(scope)}"), 409, "in-use");
        Assert.Equal(1, (int)problem["references"]!["subnet_pools"]!);

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), HttpStatusCode.NoContent);
        AssertStatus(await api.Client.DeleteAsync($"/v1/address-scopes/{Id(scope)}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task CreatePool_OverlappingAnotherPoolOfTheScope_409PrefixOverlap()
    {
        var scope = await CreateScopeAsync();
        var first = await IpamServer.ExpectAsync(await PostPoolAsync(Id(scope), "172.21.0.0/16", "192.0.2.0/24"), 201);

        var problem = await ProblemAsync(await PostPoolAsync(Id(scope), "172.30.0.0/16", "172.21.128.0/17"), 409, "prefix-overlap");

        Assert.Equal("172.21.128.0/17", (string?)problem["cidr"]);
        Assert.Equal("172.21.0.0/16", (string?)problem["conflicts_with"]);
        Assert.Equal(Id(first), (string?)problem["subnet_pool_id"]);
        await ProblemAsync(await PostPoolAsync(Id(scope), "172.0.0.0/8"), 409, "prefix-overlap");
        await ProblemAsync(await PostPoolAsync(Id(scope), "192.0.2.128/25"), 409, "prefix-overlap");

        // Adjacent is fine, and so is the same space outside the scope or in another scope.
        await IpamServer.ExpectAsync(await PostPoolAsync(Id(scope), "172.22.0.0/16"), 201);
        await IpamServer.ExpectAsync(await PostPoolAsync(null, "172.21.0.0/16"), 201);
        await IpamServer.ExpectAsync(await PostPoolAsync(Id(await CreateScopeAsync()), "172.21.0.0/16"), 201);
        Assert.Equal(2, (await api.ListAllAsync($"/v1/subnet-pools?address_scope_id={Id(scope)}")).Count);
    }

    [Fact]
    public async Task CreatePool_FamilyDiffersFromScope_400()
    {
        var scope = await CreateScopeAsync(version: 6);

        var problem = await ValidationProblemAsync(await PostPoolAsync(Id(scope), "10.0.0.0/8"));

        Assert.Contains("address_scope_id", problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task UpdatePool_AddingOrMovingIntoOverlap_409AndNothingChanged()
    {
        var scope = await CreateScopeAsync();
        await IpamServer.ExpectAsync(await PostPoolAsync(Id(scope), "172.23.0.0/16"), 201);
        var second = await IpamServer.ExpectAsync(await PostPoolAsync(Id(scope), "172.24.0.0/16"), 201);
        var outside = await IpamServer.ExpectAsync(await PostPoolAsync(null, "172.23.5.0/24"), 201);

        await ProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(second)}", new { add_prefixes = new[] { "172.23.255.0/24" } }), 409, "prefix-overlap");
        await ProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(outside)}", new { address_scope_id = Id(scope) }), 409, "prefix-overlap");

        Assert.True(JsonNode.DeepEquals(second, await api.GetJsonAsync($"/v1/subnet-pools/{Id(second)}")));
        Assert.True(JsonNode.DeepEquals(outside, await api.GetJsonAsync($"/v1/subnet-pools/{Id(outside)}")));

        // Leaving the scope and coming back without overlap both work.
        var left = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnet-pools/{Id(second)}", """{"address_scope_id":null}"""), 200);
        Assert.Null(left["address_scope_id"]);
        var back = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(second)}", new { address_scope_id = Id(scope), add_prefixes = new[] { "172.25.0.0/16" } }), 200);
        Assert.Equal(Id(scope), (string?)back["address_scope_id"]);
    }

    [Fact]
    public async Task CreatePool_ConcurrentOverlappingInOneScope_ExactlyOneWins()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: api.Store);
        var scope = await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync("/v1/address-scopes", new { name = "race", ip_version = 4 }), 201);
        var scopeId = (string)scope["id"]!;
        var outcomes = new ConcurrentBag<int>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            // Every request overlaps every other one in 10.0.0.0/16.
            var response = await server.Client.PostAsJsonAsync("/v1/subnet-pools", new
            {
                name = $"p{i}",
                prefixes = new[] { $"10.0.{i * 16}.0/20", "10.0.0.0/16" },
                address_scope_id = scopeId,
            });
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                await IpamServer.ExpectProblemAsync(response, 409, "prefix-overlap");
            }

            outcomes.Add((int)response.StatusCode);
        })));

        Assert.Equal(1, outcomes.Count(s => s == 201));
        Assert.Equal(15, outcomes.Count(s => s == 409));
    }

    [Fact]
    public async Task SubnetsFromPoolsOfOneScope_NeverOverlap()
    {
        var scope = await CreateScopeAsync(version: 6);
        var a = await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", new { name = "a", prefixes = new[] { "2001:db8:aa00::/56" }, min_prefixlen = 56, address_scope_id = Id(scope) }), 201);
        var b = await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", new { name = "b", prefixes = new[] { "2001:db8:aa00:100::/56" }, min_prefixlen = 56, address_scope_id = Id(scope) }), 201);
        await ProblemAsync(await api.PostAsync("/v1/subnet-pools", new { name = "c", prefixes = new[] { "2001:db8:aa00::/55" }, address_scope_id = Id(scope) }), 409, "prefix-overlap");

        var subnets = new List<Cidr>();
        for (var i = 0; i < 300; i++)
        {
            var pool = i % 2 == 0 ? a : b;
            var response = await api.PostAsync("/v1/subnets", new { subnet_pool_id = Id(pool), prefixlen = 62 + (i % 3) });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                subnets.Add(Cidr.Parse((string)(await IpamServer.ExpectAsync(response, 201))["cidr"]!));
            }
            else
            {
                await ProblemAsync(response, 409, "prefix-unavailable");
            }
        }

        var ordered = subnets.OrderBy(c => c.Network).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i - 1].Last < ordered[i].First, $"{ordered[i - 1]} overlaps {ordered[i]}");
        }
    }
}

public sealed class AddressScopesApiTestsOnSqlite(SqliteApiFixture api) : AddressScopesApiTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AddressScopesApiTestsOnPostgres(PostgresApiFixture api) : AddressScopesApiTests(api), IClassFixture<PostgresApiFixture>;

public sealed class AddressScopesApiTestsOnThreeInstances(ThreeInstancesApiFixture api) : AddressScopesApiTests(api), IClassFixture<ThreeInstancesApiFixture>;
