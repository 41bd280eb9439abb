using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>
/// A request that runs into another tenant's resource learns that the id or the space is taken, which it cannot
/// help learning, and nothing else: not the other subnet's fields, nor the id or CIDR of the subnet or pool it
/// overlaps. Its own and shared pools are named as before.
/// </summary>
public abstract class ConflictTenancyTests(ApiFixture api) : TenancyTestBase(api)
{
    private static readonly HashSet<string> ProblemFields = ["type", "title", "status", "detail", "code", "id", "trace_id", "instance"];

    [Fact]
    public async Task Create_IdOfAnotherTenantsSubnet_AnswersAsForItsOwnTakenId()
    {
        var otherTenant = NewTenant();
        var theirs = Id(await CreatedAsync(PostAsync(await MemberAsync(otherTenant), "/v1/subnets",
            new { cidr = "10.220.0.0/24", name = "their-name", gateway_ip = "10.220.0.254" })));
        var member = await MemberAsync(NewTenant());
        var own = Id(await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.220.1.0/24", name = "own-name" })));
        var before = await Api.SnapshotAsync(theirs);

        var foreign = await TakenAsync(member, theirs);
        var mine = await TakenAsync(member, own);

        // The answer depends on nothing but the id the caller sent.
        Assert.Equal(mine.Replace(own, "ID", StringComparison.Ordinal), foreign.Replace(theirs, "ID", StringComparison.Ordinal));
        AssertNamesNothingOf(foreign, "10.220.0.", "their-name", otherTenant);
        Assert.Equal(before, await Api.SnapshotAsync(theirs));
    }

    [Fact]
    public async Task SpecificPrefix_OverlapsAnotherTenantsSubnetOfASharedPool_NotNamed()
    {
        var pool = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools", new { name = "shared", prefixes = new[] { "10.221.0.0/16" }, default_prefixlen = 24 })));
        var theirs = Id(await CreatedAsync(PostAsync(await MemberAsync(NewTenant()), "/v1/subnets", new { subnet_pool_id = pool, cidr = "10.221.1.0/24" })));
        var member = await MemberAsync(NewTenant());
        await CreatedAsync(PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool, cidr = "10.221.2.0/24" }));

        var foreign = await UnavailableAsync(member, pool, "10.221.0.0/23");
        var mine = await UnavailableAsync(member, pool, "10.221.2.0/23");
        var byAdmin = await UnavailableAsync(await AdminAsync(), pool, "10.221.0.0/23");

        Assert.False(foreign.ContainsKey("conflicts_with"));
        Assert.Equal("10.221.0.0/23", (string?)foreign["cidr"]);
        Assert.Equal(pool, (string?)foreign["subnet_pool_id"]);
        AssertNamesNothingOf(foreign.ToJsonString(), "10.221.1.", theirs);
        Assert.Equal("10.221.2.0/24", (string?)mine["conflicts_with"]);
        Assert.Equal("10.221.1.0/24", (string?)byAdmin["conflicts_with"]);
    }

    [Fact]
    public async Task PoolInSharedScope_OverlapsAnotherTenantsPool_NotNamed_SharedAndOwnPoolsNamed()
    {
        var scope = Id(await CreatedAsync(Api.PostAsync("/v1/address-scopes", new { name = "shared", ip_version = 4 })));
        var theirs = Id(await CreatedAsync(PostAsync(await MemberAsync(NewTenant()), "/v1/subnet-pools",
            new { name = "theirs", prefixes = new[] { "10.222.0.0/16" }, address_scope_id = scope })));
        var shared = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools", new { name = "shared", prefixes = new[] { "10.223.0.0/16" }, address_scope_id = scope })));
        var member = await MemberAsync(NewTenant());
        var own = Id(await CreatedAsync(PostAsync(member, "/v1/subnet-pools", new { name = "own", prefixes = new[] { "10.224.0.0/16" }, address_scope_id = scope })));

        var created = await OverlapAsync(PostAsync(member, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.222.128.0/17" }, address_scope_id = scope }));
        var extended = await OverlapAsync(member.PatchAsJsonAsync($"/v1/subnet-pools/{own}", new { add_prefixes = new[] { "10.222.64.0/18" } }));
        var onShared = await OverlapAsync(PostAsync(member, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.223.1.0/24" }, address_scope_id = scope }));
        var onOwn = await OverlapAsync(PostAsync(member, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.224.5.0/24" }, address_scope_id = scope }));
        var byAdmin = await OverlapAsync(PostAsync(await AdminAsync(), "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.222.128.0/17" }, address_scope_id = scope }));

        foreach (var (problem, cidr) in new[] { (created, "10.222.128.0/17"), (extended, "10.222.64.0/18") })
        {
            Assert.Equal(cidr, (string?)problem["cidr"]);
            Assert.Equal(scope, (string?)problem["address_scope_id"]);
            Assert.False(problem.ContainsKey("conflicts_with"));
            Assert.False(problem.ContainsKey("subnet_pool_id"));
            AssertNamesNothingOf(problem.ToJsonString(), "10.222.0.0", theirs);
        }

        Assert.Equal(("10.223.0.0/16", shared), Conflict(onShared));
        Assert.Equal(("10.224.0.0/16", own), Conflict(onOwn));
        Assert.Equal(("10.222.0.0/16", theirs), Conflict(byAdmin));
        Assert.Equal(["10.224.0.0/16"], (await Api.GetJsonAsync($"/v1/subnet-pools/{own}"))["prefixes"]!.AsArray().Select(p => (string?)p));
    }

    /// <summary>The 409 to creating a subnet under a taken id, as text without its trace id.</summary>
    private static async Task<string> TakenAsync(HttpClient member, string id)
    {
        var problem = await ProblemAsync(await PostAsync(member, "/v1/subnets", new { id, cidr = "10.220.9.0/24", name = "again" }), 409, "already-exists");
        Assert.Equal(id, (string?)problem["id"]);
        Assert.All(problem, field => Assert.Contains(field.Key, ProblemFields));
        problem.Remove("trace_id");
        return problem.ToJsonString();
    }

    private static async Task<JsonObject> UnavailableAsync(HttpClient client, string pool, string cidr) =>
        await ProblemAsync(await PostAsync(client, "/v1/subnets", new { subnet_pool_id = pool, cidr }), 409, "prefix-unavailable");

    private static async Task<JsonObject> OverlapAsync(Task<HttpResponseMessage> request) => await ProblemAsync(await request, 409, "prefix-overlap");

    private static (string?, string?) Conflict(JsonObject problem) => ((string?)problem["conflicts_with"], (string?)problem["subnet_pool_id"]);

    private static void AssertNamesNothingOf(string answer, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, answer, StringComparison.Ordinal);
        }
    }
}

public sealed class ConflictTenancyTestsOnSqlite(SqliteApiFixture api) : ConflictTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ConflictTenancyTestsOnPostgres(PostgresApiFixture api) : ConflictTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ConflictTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : ConflictTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
