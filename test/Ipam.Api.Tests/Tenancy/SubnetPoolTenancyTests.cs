using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>
/// Subnet pools and address scopes: a tenant's own are hidden from others, shared ones (without a tenant) are
/// read by every tenant and changed only by admins, and a pool's quota holds for a member whatever it names.
/// </summary>
public abstract class SubnetPoolTenancyTests(ApiFixture api) : TenancyTestBase(api)
{
    [Fact]
    public async Task SharedPool_MemberReadsAndAllocatesIntoItsTenantButCannotChangeIt()
    {
        var pool = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools", new { name = "shared", prefixes = new[] { "10.200.0.0/16" }, default_prefixlen = 24 })));
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);

        Assert.True((bool?)(await OkAsync(member.GetAsync($"/v1/subnet-pools/{pool}")))["shared"]);
        await OkAsync(member.GetAsync($"/v1/subnet-pools/{pool}/available-prefixes"));
        Assert.Contains(pool, Ids(await ListAllAsync(member, "/v1/subnet-pools", limit: 1000)));
        var subnet = await CreatedAsync(PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool }));
        Assert.Equal(tenant, (string?)subnet["tenant_id"]);

        await ForbiddenAsync(member.PatchAsJsonAsync($"/v1/subnet-pools/{pool}", new { name = "mine" }), "admin");
        await ForbiddenAsync(member.DeleteAsync($"/v1/subnet-pools/{pool}"), "admin");
        Assert.Equal("shared", (string?)(await Api.GetJsonAsync($"/v1/subnet-pools/{pool}"))["name"]);
    }

    [Fact]
    public async Task TenantsPool_OtherTenantAnswersAsIfMissing()
    {
        var owner = await MemberAsync(NewTenant());
        var pool = Id(await CreatedAsync(PostAsync(owner, "/v1/subnet-pools", new { name = "own", prefixes = new[] { "10.201.0.0/16" }, default_prefixlen = 24 })));
        var other = await MemberAsync(NewTenant());
        var before = await Api.GetJsonAsync($"/v1/subnet-pools/{pool}/available-prefixes");
        Assert.False((bool?)(await Api.GetJsonAsync($"/v1/subnet-pools/{pool}"))["shared"]);

        Assert.DoesNotContain(pool, Ids(await ListAllAsync(other, "/v1/subnet-pools", limit: 1000)));
        await NotFoundAsync(other.GetAsync($"/v1/subnet-pools/{pool}/available-prefixes"), "subnet-pool-not-found");
        await NotFoundAsync(PostAsync(other, "/v1/subnets", new { subnet_pool_id = pool }), "subnet-pool-not-found");
        await NotFoundAsync(other.PatchAsJsonAsync($"/v1/subnet-pools/{pool}", new { name = "taken" }), "subnet-pool-not-found");
        await NotFoundAsync(other.DeleteAsync($"/v1/subnet-pools/{pool}"), "subnet-pool-not-found");
        Assert.Equal(before.ToJsonString(), (await Api.GetJsonAsync($"/v1/subnet-pools/{pool}/available-prefixes")).ToJsonString());
        await SameAsMissingAsync(() => other.GetAsync($"/v1/subnet-pools/{pool}"), "subnet-pool-not-found",
            async () => AssertStatus(await owner.DeleteAsync($"/v1/subnet-pools/{pool}"), HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task List_MemberNamingItsTenant_OnlyItsOwnPools()
    {
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        var own = Id(await CreatedAsync(PostAsync(member, "/v1/subnet-pools", new { name = "own", prefixes = new[] { "10.202.0.0/16" } })));
        var shared = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools", new { name = "shared", prefixes = new[] { "10.203.0.0/16" } })));

        var named = Ids(await ListAllAsync(member, $"/v1/subnet-pools?tenant_id={tenant}", limit: 1000));
        var visible = Ids(await ListAllAsync(member, "/v1/subnet-pools", limit: 1000));

        Assert.Equal([own], named);
        Assert.Contains(own, visible);
        Assert.Contains(shared, visible);
        await ForbiddenAsync(member.GetAsync($"/v1/subnet-pools?tenant_id={NewTenant()}"), "admin");
        await ForbiddenAsync(PostAsync(member, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.204.0.0/16" }, tenant_id = NewTenant() }), "admin");
    }

    [Fact]
    public async Task Quota_Member_CannotBypassItsTenantsQuota()
    {
        var pool = Id(await CreatedAsync(Api.PostAsync("/v1/subnet-pools",
            new { name = "quota", prefixes = new[] { "10.205.0.0/16" }, default_prefixlen = 24, default_quota = 256 })));
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        await CreatedAsync(PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool }));

        await ProblemAsync(await PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool }), 409, "quota-exceeded");
        await ProblemAsync(await PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool, tenant_id = tenant }), 409, "quota-exceeded");
        await ForbiddenAsync(PostAsync(member, "/v1/subnets", new { subnet_pool_id = pool, tenant_id = NewTenant() }), "admin");

        var subnets = await Api.ListAllAsync($"/v1/subnets?subnet_pool_id={pool}");
        Assert.Equal([tenant], subnets.Select(s => (string?)s["tenant_id"]));
        await CreatedAsync(PostAsync(await MemberAsync(NewTenant()), "/v1/subnets", new { subnet_pool_id = pool }));
    }

    [Fact]
    public async Task Reader_CannotChangePoolsOrScopes()
    {
        var tenant = NewTenant();
        var pool = Id(await CreatedAsync(PostAsync(await MemberAsync(tenant), "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.206.0.0/16" } })));
        var reader = await ReaderAsync(tenant);

        await OkAsync(reader.GetAsync($"/v1/subnet-pools/{pool}"));
        await ForbiddenAsync(PostAsync(reader, "/v1/subnet-pools", new { name = "r", prefixes = new[] { "10.207.0.0/16" } }), "member");
        await ForbiddenAsync(reader.PatchAsJsonAsync($"/v1/subnet-pools/{pool}", new { name = "r" }), "member");
        await ForbiddenAsync(reader.DeleteAsync($"/v1/subnet-pools/{pool}"), "member");
        await ForbiddenAsync(PostAsync(reader, "/v1/subnets", new { subnet_pool_id = pool }), "member");
        await ForbiddenAsync(PostAsync(reader, "/v1/address-scopes", new { name = "r", ip_version = 4 }), "member");
        Assert.Equal("p", (string?)(await Api.GetJsonAsync($"/v1/subnet-pools/{pool}"))["name"]);
    }

    [Fact]
    public async Task Scopes_SharedReadByAllChangedByAdmins_TenantsHiddenFromOthers()
    {
        var shared = Id(await CreatedAsync(Api.PostAsync("/v1/address-scopes", new { name = "shared", ip_version = 4 })));
        var tenant = NewTenant();
        var owner = await MemberAsync(tenant);
        var own = await CreatedAsync(PostAsync(owner, "/v1/address-scopes", new { name = "own", ip_version = 4 }));
        var other = await MemberAsync(NewTenant());

        Assert.Equal(tenant, (string?)own["tenant_id"]);
        Assert.True((bool?)(await OkAsync(other.GetAsync($"/v1/address-scopes/{shared}")))["shared"]);
        Assert.False((bool?)own["shared"]);
        var listed = Ids(await ListAllAsync(other, "/v1/address-scopes", limit: 1000));
        Assert.Contains(shared, listed);
        Assert.DoesNotContain(Id(own), listed);
        await ForbiddenAsync(other.DeleteAsync($"/v1/address-scopes/{shared}"), "admin");
        await NotFoundAsync(other.DeleteAsync($"/v1/address-scopes/{Id(own)}"), "address-scope-not-found");
        await NotFoundAsync(PostAsync(other, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.208.0.0/16" }, address_scope_id = Id(own) }),
            "address-scope-not-found");
        await CreatedAsync(PostAsync(other, "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.209.0.0/16" }, address_scope_id = shared }));
        await SameAsMissingAsync(() => other.GetAsync($"/v1/address-scopes/{Id(own)}"), "address-scope-not-found",
            async () => AssertStatus(await owner.DeleteAsync($"/v1/address-scopes/{Id(own)}"), HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task ScopeList_TenantFilter_AsForPools()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        var member = await MemberAsync(tenant);
        var own = Id(await CreatedAsync(PostAsync(member, "/v1/address-scopes", new { name = "own", ip_version = 4 })));
        var theirs = Id(await CreatedAsync(PostAsync(await MemberAsync(other), "/v1/address-scopes", new { name = "theirs", ip_version = 4 })));
        var shared = Id(await CreatedAsync(Api.PostAsync("/v1/address-scopes", new { name = "shared", ip_version = 4 })));
        var admin = await AdminAsync();

        var visible = Ids(await ListAllAsync(member, "/v1/address-scopes", limit: 1000));

        Assert.Equal([own], Ids(await ListAllAsync(member, $"/v1/address-scopes?tenant_id={tenant}", limit: 1000)));
        Assert.Contains(own, visible);
        Assert.Contains(shared, visible);
        Assert.DoesNotContain(theirs, visible);
        await ForbiddenAsync(member.GetAsync($"/v1/address-scopes?tenant_id={other}"), "admin");
        await ForbiddenAsync(member.GetAsync($"/v1/subnet-pools?tenant_id={other}"), "admin");
        await ForbiddenAsync(member.GetAsync($"/v1/subnets?tenant_id={other}"), "admin");
        Assert.Equal([theirs], Ids(await ListAllAsync(admin, $"/v1/address-scopes?tenant_id={other}", limit: 1000)));
        Assert.Equal([own], Ids(await ListAllAsync(admin, $"/v1/address-scopes?tenant_id={tenant}&ip_version=4", limit: 1000)));
        Assert.Empty(await ListAllAsync(admin, $"/v1/address-scopes?tenant_id={tenant}&ip_version=6", limit: 1000));
    }

    [Fact]
    public async Task List_TenantFilterGivenTwice_InvalidRequestNamingIt()
    {
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        var admin = await AdminAsync();

        foreach (var client in new[] { member, admin })
        {
            foreach (var path in new[] { "/v1/address-scopes", "/v1/subnet-pools", "/v1/subnets", "/v1/events" })
            {
                var problem = await ValidationProblemAsync(await client.GetAsync($"{path}?tenant_id={tenant}&tenant_id={tenant}"));
                Assert.Equal(["tenant_id"], problem["errors"]!.AsObject().Select(e => e.Key));
                Assert.Contains("may be given once", (string?)problem["errors"]!["tenant_id"]![0], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Admin_SeesAndChangesEveryTenantsPools()
    {
        var tenant = NewTenant();
        var pool = Id(await CreatedAsync(PostAsync(await MemberAsync(tenant), "/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.210.0.0/16" } })));
        var admin = await AdminAsync();

        Assert.Contains(pool, Ids(await ListAllAsync(admin, "/v1/subnet-pools", limit: 1000)));
        var renamed = await OkAsync(admin.PatchAsJsonAsync($"/v1/subnet-pools/{pool}", new { name = "renamed" }));
        Assert.Equal("renamed", (string?)renamed["name"]);
        var subnet = await CreatedAsync(PostAsync(admin, "/v1/subnets", new { subnet_pool_id = pool, prefixlen = 24, tenant_id = tenant }));
        Assert.Equal(tenant, (string?)subnet["tenant_id"]);
    }
}

public sealed class SubnetPoolTenancyTestsOnSqlite(SqliteApiFixture api) : SubnetPoolTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetPoolTenancyTestsOnPostgres(PostgresApiFixture api) : SubnetPoolTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetPoolTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetPoolTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
