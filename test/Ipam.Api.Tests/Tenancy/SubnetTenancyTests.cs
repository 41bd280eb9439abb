using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>Subnets and their allocations belong to one tenant: others neither see nor change them, readers only read.</summary>
public abstract class SubnetTenancyTests(ApiFixture api) : TenancyTestBase(api)
{
    [Fact]
    public async Task Member_CreatesWithoutTenant_SubnetIsItsTenants()
    {
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);

        var subnet = await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.60.0.0/24" }));
        var named = await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.60.1.0/24", tenant_id = tenant }));

        Assert.Equal(tenant, (string?)subnet["tenant_id"]);
        Assert.Equal(tenant, (string?)named["tenant_id"]);
    }

    [Fact]
    public async Task Member_NamesAnotherTenant_Forbidden()
    {
        var member = await MemberAsync(NewTenant());
        var other = NewTenant();

        await ForbiddenAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.61.0.0/24", tenant_id = other }), "admin");
        await ForbiddenAsync(member.GetAsync($"/v1/subnets?tenant_id={other}"), "admin");

        Assert.Empty(await Api.ListAllAsync($"/v1/subnets?tenant_id={other}"));
    }

    [Fact]
    public async Task List_Member_OnlyItsTenantsSubnetsInFullPages()
    {
        var (mine, theirs) = (NewTenant(), NewTenant());
        var member = await MemberAsync(mine);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(Id(await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = $"10.62.{i}.0/24" }))));
            await Api.CreateSubnetAsync(new { cidr = $"10.62.{i}.0/24", tenant_id = theirs });
        }

        var listed = await ListAllAsync(member, "/v1/subnets", limit: 2);

        Assert.Equal(created.Order(), Ids(listed).Order());
    }

    [Fact]
    public async Task List_Admin_SeesEveryTenant()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var inA = Id(await CreatedAsync(PostAsync(await MemberAsync(a), "/v1/subnets", new { cidr = "10.63.0.0/24" })));
        var inB = Id(await CreatedAsync(PostAsync(await MemberAsync(b), "/v1/subnets", new { cidr = "10.63.0.0/24" })));
        var admin = await AdminAsync();

        var all = Ids(await ListAllAsync(admin, "/v1/subnets", limit: 1000));

        Assert.Contains(inA, all);
        Assert.Contains(inB, all);
        await OkAsync(admin.GetAsync($"/v1/subnets/{inA}"));
        await CreatedAsync(PostAsync(admin, $"/v1/subnets/{inB}/allocations", new { }));
    }

    [Fact]
    public async Task Get_AnotherTenantsSubnet_AnswersAsIfMissing()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.64.0.0/24", tenant_id = NewTenant() }));
        var ip = Ip(await Api.AllocateAsync(subnet));
        var member = await MemberAsync(NewTenant());
        var reader = await ReaderAsync(NewTenant());

        await NotFoundAsync(reader.GetAsync($"/v1/subnets/{subnet}"), "subnet-not-found");
        await NotFoundAsync(member.GetAsync($"/v1/subnets/{subnet}/allocations/{ip}"), "subnet-not-found");
        await NotFoundAsync(member.GetAsync($"/v1/subnets/{subnet}/allocations"), "subnet-not-found");
        await NotFoundAsync(member.GetAsync($"/v1/subnets/{subnet}/allocations/{ip}/history"), "subnet-not-found");
        await SameAsMissingAsync(() => member.GetAsync($"/v1/subnets/{subnet}"), "subnet-not-found",
            async () => AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{subnet}?force=true"), System.Net.HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task Change_AnotherTenantsSubnet_AnswersAsIfMissingAndChangesNothing()
    {
        var tenant = NewTenant();
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.65.0.0/24", tenant_id = tenant, name = "kept" }));
        var held = Ip(await Api.AllocateAsync(subnet, new { ip_address = "10.65.0.10" }));
        var before = await Api.SnapshotAsync(subnet);
        var member = await MemberAsync(NewTenant());

        await NotFoundAsync(member.PatchAsJsonAsync($"/v1/subnets/{subnet}", new { name = "taken" }), "subnet-not-found");
        await NotFoundAsync(member.DeleteAsync($"/v1/subnets/{subnet}"), "subnet-not-found");
        await NotFoundAsync(member.DeleteAsync($"/v1/subnets/{subnet}?force=true"), "subnet-not-found");
        await NotFoundAsync(member.DeleteAsync($"/v1/subnets/{subnet}/allocations/{held}"), "subnet-not-found");
        await NotFoundAsync(member.PatchAsJsonAsync($"/v1/subnets/{subnet}/allocations/{held}", new { description = "taken" }), "subnet-not-found");
        object[] requests =
        [
            new { }, new { strategy = "next" }, new { strategy = "random", count = 3 }, new { ip_address = "10.65.0.20" },
        ];
        foreach (var body in requests)
        {
            await NotFoundAsync(PostAsync(member, $"/v1/subnets/{subnet}/allocations", body), "subnet-not-found");
        }

        Assert.Equal(before, await Api.SnapshotAsync(subnet));
    }

    [Fact]
    public async Task Allocate_Eui64InAnotherTenantsSubnet_AnswersAsIfMissing()
    {
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "2001:db8:66::/64", tenant_id = NewTenant() }));
        var member = await MemberAsync(NewTenant());

        await NotFoundAsync(PostAsync(member, $"/v1/subnets/{subnet}/allocations", new { mac_address = "52:54:00:12:34:56" }), "subnet-not-found");

        Assert.Empty(await Api.AllocationsAsync(subnet));
    }

    [Fact]
    public async Task Reader_ReadsItsTenantButCannotWrite()
    {
        var tenant = NewTenant();
        var subnet = Id(await Api.CreateSubnetAsync(new { cidr = "10.67.0.0/24", tenant_id = tenant }));
        var held = Ip(await Api.AllocateAsync(subnet));
        var before = await Api.SnapshotAsync(subnet);
        var reader = await ReaderAsync(tenant);

        await OkAsync(reader.GetAsync($"/v1/subnets/{subnet}"));
        await OkAsync(reader.GetAsync($"/v1/subnets/{subnet}/allocations/{held}"));
        Assert.Equal([subnet], Ids(await ListAllAsync(reader, "/v1/subnets", limit: 10)));
        await ForbiddenAsync(PostAsync(reader, "/v1/subnets", new { cidr = "10.67.1.0/24" }), "member");
        await ForbiddenAsync(reader.PatchAsJsonAsync($"/v1/subnets/{subnet}", new { name = "x" }), "member");
        await ForbiddenAsync(reader.DeleteAsync($"/v1/subnets/{subnet}?force=true"), "member");
        await ForbiddenAsync(PostAsync(reader, $"/v1/subnets/{subnet}/allocations", new { strategy = "next" }), "member");
        await ForbiddenAsync(reader.DeleteAsync($"/v1/subnets/{subnet}/allocations/{held}"), "member");
        await ForbiddenAsync(reader.PatchAsJsonAsync($"/v1/subnets/{subnet}/allocations/{held}", new { expires_at = (string?)null }), "member");

        Assert.Equal(before, await Api.SnapshotAsync(subnet));
    }

    [Fact]
    public async Task Member_ChangesItsOwnSubnet()
    {
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        var subnet = Id(await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.68.0.0/24" })));

        var ip = Ip(await CreatedAsync(PostAsync(member, $"/v1/subnets/{subnet}/allocations", new { strategy = "next" })));
        await OkAsync(member.PatchAsJsonAsync($"/v1/subnets/{subnet}", new { name = "renamed" }));
        AssertStatus(await member.DeleteAsync($"/v1/subnets/{subnet}/allocations/{ip}"), System.Net.HttpStatusCode.NoContent);
        AssertStatus(await member.DeleteAsync($"/v1/subnets/{subnet}"), System.Net.HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task IdempotencyKey_AnotherTenantsKey_NeitherReplaysNorConflicts()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var memberA = await MemberAsync(a);
        var memberB = await MemberAsync(b);
        var subnetA = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.69.0.0/24" })));
        var subnetB = Id(await CreatedAsync(PostAsync(memberB, "/v1/subnets", new { cidr = "10.69.0.0/24" })));
        var key = Guid.NewGuid().ToString();

        await CreatedAsync(memberA.SendAsync(Keyed(subnetA, key)));

        await NotFoundAsync(memberB.SendAsync(Keyed(subnetA, key)), "subnet-not-found");
        var theirs = await CreatedAsync(memberB.SendAsync(Keyed(subnetB, key)));
        Assert.Equal(subnetB, (string?)theirs["subnet_id"]);
    }

    private static HttpRequestMessage Keyed(string subnet, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{subnet}/allocations") { Content = JsonContent.Create(new { strategy = "next" }) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}

public sealed class SubnetTenancyTestsOnSqlite(SqliteApiFixture api) : SubnetTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetTenancyTestsOnPostgres(PostgresApiFixture api) : SubnetTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class SubnetTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : SubnetTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
