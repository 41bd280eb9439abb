using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>
/// A tenant's private subnet pool takes only that tenant's subnets, and a tenant's private address scope only that
/// tenant's pools: an admin, who sees both tenants, is refused with the reason; a member is told the other tenant's
/// pool or scope does not exist. An admin who names no tenant places the resource in the container's tenant.
/// </summary>
public abstract class TenantPlacementTests(ApiFixture api) : TenancyTestBase(api)
{
    [Fact]
    public async Task SubnetFromAnotherTenantsPrivatePool_AdminRefused_NothingShowsThrough()
    {
        var (acme, beta) = (NewTenant(), NewTenant());
        var owner = await MemberAsync(acme);
        var pool = Id(await CreatedAsync(PostAsync(owner, "/v1/subnet-pools", new { name = "private", prefixes = new[] { "192.168.96.0/20" }, default_prefixlen = 24 })));
        var admin = await AdminAsync();

        foreach (var body in new object[]
        {
            new { subnet_pool_id = pool, cidr = "192.168.99.0/24", tenant_id = beta },
            new { subnet_pool_id = pool, prefixlen = 24, tenant_id = beta },
        })
        {
            var problem = await ValidationProblemAsync(await PostAsync(admin, "/v1/subnets", body));
            AssertMismatch(problem, "subnet_pool_id", pool, acme, beta);
        }

        await NotFoundAsync(PostAsync(await MemberAsync(beta), "/v1/subnets", new { subnet_pool_id = pool, cidr = "192.168.99.0/24" }), "subnet-pool-not-found");
        Assert.Empty(await ListAllAsync(admin, $"/v1/subnets?subnet_pool_id={pool}", limit: 1000));
        Assert.Equal(["192.168.96.0/20"], Prefixes(await OkAsync(owner.GetAsync($"/v1/subnet-pools/{pool}/available-prefixes"))));

        // Named without a tenant, the admin's subnet is the pool's tenant's, which sees and removes it.
        var inherited = await CreatedAsync(PostAsync(admin, "/v1/subnets", new { subnet_pool_id = pool, cidr = "192.168.99.0/24" }));
        Assert.Equal(acme, (string?)inherited["tenant_id"]);
        Assert.Equal([Id(inherited)], Ids(await ListAllAsync(owner, $"/v1/subnets?subnet_pool_id={pool}", limit: 1000)));
        AssertStatus(await owner.DeleteAsync($"/v1/subnets/{Id(inherited)}"), HttpStatusCode.NoContent);

        await OkAsync(owner.PatchAsJsonAsync($"/v1/subnet-pools/{pool}", new { add_prefixes = new[] { "192.168.112.0/24" }, remove_prefixes = new[] { "192.168.96.0/20" } }));
        AssertStatus(await owner.DeleteAsync($"/v1/subnet-pools/{pool}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PoolInAnotherTenantsPrivateScope_AdminRefusedOnCreateAndPatch_MemberAsIfMissing()
    {
        var (acme, beta) = (NewTenant(), NewTenant());
        var owner = await MemberAsync(acme);
        var scope = Id(await CreatedAsync(PostAsync(owner, "/v1/address-scopes", new { name = "private", ip_version = 4 })));
        var member = await MemberAsync(beta);
        var theirs = Id(await CreatedAsync(PostAsync(member, "/v1/subnet-pools", new { name = "theirs", prefixes = new[] { "10.231.0.0/16" } })));
        var shared = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools", new { name = "shared", prefixes = new[] { "10.232.0.0/16" } })));
        var admin = await AdminAsync();

        var created = await ValidationProblemAsync(await PostAsync(admin, "/v1/subnet-pools",
            new { name = "p", prefixes = new[] { "10.230.0.0/16" }, address_scope_id = scope, tenant_id = beta }));
        var moved = await ValidationProblemAsync(await admin.PatchAsJsonAsync($"/v1/subnet-pools/{theirs}", new { address_scope_id = scope }));
        var sharedMoved = await ValidationProblemAsync(await admin.PatchAsJsonAsync($"/v1/subnet-pools/{shared}", new { address_scope_id = scope }));

        AssertMismatch(created, "address_scope_id", scope, acme, beta);
        AssertMismatch(moved, "address_scope_id", scope, acme, beta);
        AssertMismatch(sharedMoved, "address_scope_id", scope, acme, "shared subnet pool");
        Assert.Null((await OkAsync(admin.GetAsync($"/v1/subnet-pools/{theirs}")))["address_scope_id"]);
        Assert.Null((await OkAsync(admin.GetAsync($"/v1/subnet-pools/{shared}")))["address_scope_id"]);
        Assert.Empty(await ListAllAsync(admin, $"/v1/subnet-pools?address_scope_id={scope}", limit: 1000));

        // Named without a tenant, the admin's pool is the scope's tenant's.
        var inherited = await CreatedAsync(PostAsync(admin, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.230.0.0/16" }, address_scope_id = scope }));
        Assert.Equal(acme, (string?)inherited["tenant_id"]);
        AssertStatus(await owner.DeleteAsync($"/v1/subnet-pools/{Id(inherited)}"), HttpStatusCode.NoContent);

        await NotFoundAsync(PostAsync(member, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.233.0.0/16" }, address_scope_id = scope }), "address-scope-not-found");
        await SameAsMissingAsync(() => member.PatchAsJsonAsync($"/v1/subnet-pools/{theirs}", new { address_scope_id = scope }), "address-scope-not-found",
            async () => AssertStatus(await owner.DeleteAsync($"/v1/address-scopes/{scope}"), HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task Import_SubnetOrPoolInAnotherTenantsPrivateOne_RefusedNamingTheItem()
    {
        var (acme, beta) = (NewTenant(), NewTenant());
        var owner = await MemberAsync(acme);
        var pool = Id(await CreatedAsync(PostAsync(owner, "/v1/subnet-pools", new { name = "private", prefixes = new[] { "10.234.0.0/16" } })));
        var scope = Id(await CreatedAsync(PostAsync(owner, "/v1/address-scopes", new { name = "private", ip_version = 4 })));
        var admin = await AdminAsync();

        var subnet = await ValidationProblemAsync(await ImportAsync(admin, new JsonObject
        {
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["cidr"] = "10.234.1.0/24", ["subnet_pool_id"] = pool, ["tenant_id"] = beta,
            }),
        }));
        var pooled = await ValidationProblemAsync(await ImportAsync(admin, new JsonObject
        {
            ["subnet_pools"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["name"] = "p", ["prefixes"] = new JsonArray("10.235.0.0/16"), ["address_scope_id"] = scope, ["tenant_id"] = beta,
            }),
        }));

        Assert.Contains(pool, Message(subnet, "subnets[0].subnet_pool_id"), StringComparison.Ordinal);
        Assert.Contains(beta, Message(subnet, "subnets[0].tenant_id"), StringComparison.Ordinal);
        Assert.Contains(scope, Message(pooled, "subnet_pools[0].address_scope_id"), StringComparison.Ordinal);
        Assert.Contains(beta, Message(pooled, "subnet_pools[0].tenant_id"), StringComparison.Ordinal);
        Assert.Empty(await ListAllAsync(admin, $"/v1/subnets?subnet_pool_id={pool}", limit: 1000));
        Assert.Empty(await ListAllAsync(admin, $"/v1/subnet-pools?address_scope_id={scope}", limit: 1000));
    }

    /// <summary>
    /// A 400 <c>invalid-request</c> naming the private container (by id and tenant) under <paramref name="containerField"/>
    /// and the tenant of what was to be placed in it under <c>tenant_id</c>.
    /// </summary>
    private static void AssertMismatch(JsonObject problem, string containerField, string containerId, string owner, string placed)
    {
        Assert.Equal([containerField, "tenant_id"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var container = Message(problem, containerField);
        Assert.Contains(containerId, container, StringComparison.Ordinal);
        Assert.Contains($"private to tenant '{owner}'", container, StringComparison.Ordinal);
        Assert.Contains(placed, Message(problem, "tenant_id"), StringComparison.Ordinal);
    }

    private static string Message(JsonObject problem, string field) =>
        (string)Assert.Single(Assert.IsType<JsonArray>(problem["errors"]![field]))!;

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, JsonObject items)
    {
        items["format"] = "ipam-export";
        items["version"] = 1;
        return client.PostAsync("/v1/import", new StringContent(items.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
    }

    private static List<string?> Prefixes(JsonObject available) => [.. available["prefixes"]!.AsArray().Select(p => (string?)p)];
}

public sealed class TenantPlacementTestsOnSqlite(SqliteApiFixture api) : TenantPlacementTests(api), IClassFixture<SqliteApiFixture>;

public sealed class TenantPlacementTestsOnPostgres(PostgresApiFixture api) : TenantPlacementTests(api), IClassFixture<PostgresApiFixture>;

public sealed class TenantPlacementTestsOnThreeInstances(ThreeInstancesApiFixture api) : TenantPlacementTests(api), IClassFixture<ThreeInstancesApiFixture>;
