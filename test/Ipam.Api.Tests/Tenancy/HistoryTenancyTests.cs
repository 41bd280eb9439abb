using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>Who held an address and one owner's allocations: a tenant sees only what happened in its own subnets.</summary>
public abstract class HistoryTenancyTests(ApiFixture api) : TenancyTestBase(api)
{
    [Fact]
    public async Task AddressHolders_NowAndInThePast_OnlyTheCallersTenant()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var memberA = await MemberAsync(a);
        var memberB = await MemberAsync(b);
        var subnetA = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.74.0.0/24" })));
        var subnetB = Id(await CreatedAsync(PostAsync(memberB, "/v1/subnets", new { cidr = "10.74.0.0/24" })));
        await CreatedAsync(PostAsync(memberA, $"/v1/subnets/{subnetA}/allocations", new { ip_address = "10.74.0.9", owner = "a" }));
        var heldByB = await CreatedAsync(PostAsync(memberB, $"/v1/subnets/{subnetB}/allocations", new { ip_address = "10.74.0.9", owner = "b" }));
        await Task.Delay(5);
        AssertStatus(await memberA.DeleteAsync($"/v1/subnets/{subnetA}/allocations/10.74.0.9"), HttpStatusCode.NoContent);
        AssertStatus(await memberB.DeleteAsync($"/v1/subnets/{subnetB}/allocations/10.74.0.9"), HttpStatusCode.NoContent);
        await CreatedAsync(PostAsync(memberA, $"/v1/subnets/{subnetA}/allocations", new { ip_address = "10.74.0.9", owner = "a-again" }));
        var at = Uri.EscapeDataString((string)heldByB["created_at"]!);

        var nowForB = await HoldersAsync(memberB, "/v1/addresses/10.74.0.9");
        var thenForB = await HoldersAsync(memberB, $"/v1/addresses/10.74.0.9?at={at}");
        var thenForAdmin = await HoldersAsync(await AdminAsync(), $"/v1/addresses/10.74.0.9?at={at}");

        Assert.Empty(nowForB);
        Assert.Equal([subnetB], thenForB.Select(h => (string)h["subnet_id"]!));
        Assert.Equal(new[] { subnetA, subnetB }.Order(StringComparer.Ordinal), thenForAdmin.Select(h => (string)h["subnet_id"]!).Where(s => s == subnetA || s == subnetB));
    }

    [Fact]
    public async Task OwnerAllocations_SameOwnerInTwoTenants_EachSeesItsOwnInFullPages()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var memberA = await MemberAsync(a);
        var memberB = await MemberAsync(b);
        var owner = $"owner-{Guid.NewGuid():N}";
        var subnetA = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.75.0.0/24" })));
        var subnetB = Id(await CreatedAsync(PostAsync(memberB, "/v1/subnets", new { cidr = "10.75.0.0/24" })));
        await CreatedAsync(PostAsync(memberA, $"/v1/subnets/{subnetA}/allocations", new { count = 3, strategy = "next", owner }));
        await CreatedAsync(PostAsync(memberB, $"/v1/subnets/{subnetB}/allocations", new { count = 4, strategy = "next", owner }));

        var seenByA = await ListAllAsync(memberA, $"/v1/allocations?owner={owner}", limit: 2);
        var seenByAdmin = await ListAllAsync(await AdminAsync(), $"/v1/allocations?owner={owner}", limit: 2);

        Assert.Equal(3, seenByA.Count);
        Assert.All(seenByA, x => Assert.Equal(subnetA, (string?)x["subnet_id"]));
        Assert.Equal(7, seenByAdmin.Count);
    }

    /// <summary>A history page's cursor is a position in the log of every tenant's changes: sealed for a tenant, as the feed's are.</summary>
    [Fact]
    public async Task AddressHistory_Member_CursorsAreSealedAndItsOwn()
    {
        var memberA = await MemberAsync(NewTenant());
        var memberB = await MemberAsync(NewTenant());
        var subnet = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.76.0.0/24" })));
        for (var i = 0; i < 3; i++)
        {
            await CreatedAsync(PostAsync(memberA, $"/v1/subnets/{subnet}/allocations", new { ip_address = "10.76.0.9", owner = $"holder-{i}" }));
            AssertStatus(await memberA.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.76.0.9"), HttpStatusCode.NoContent);
        }

        var path = $"/v1/subnets/{subnet}/allocations/10.76.0.9/history";
        var first = await OkAsync(memberA.GetAsync($"{path}?limit=2"));
        var cursor = (string)first["next"]!;
        var rest = await OkAsync(memberA.GetAsync($"{path}?limit=2&cursor={cursor}"));
        var adminFirst = await OkAsync((await AdminAsync()).GetAsync($"{path}?limit=2"));

        Assert.Matches("^c[A-Za-z0-9_-]{22}$", cursor);
        Assert.Equal(["holder-2", "holder-1", "holder-0"], first["items"]!.AsArray().Concat(rest["items"]!.AsArray()).Select(p => (string)p!["owner"]!));
        Assert.True(long.TryParse((string)adminFirst["next"]!, out _));
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(await memberA.GetAsync($"{path}?cursor={adminFirst["next"]}")))["errors"]!["cursor"]);
        var grantedToB = await CreatedAsync(PostAsync(memberB, "/v1/subnets", new { cidr = "10.76.0.0/24" }));
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(
            await memberB.GetAsync($"/v1/subnets/{Id(grantedToB)}/allocations/10.76.0.9/history?cursor={cursor}")))["errors"]!["cursor"]);
    }

    private static async Task<List<JsonObject>> HoldersAsync(HttpClient client, string path) =>
        [.. (await OkAsync(client.GetAsync(path)))["items"]!.AsArray().Select(i => i!.AsObject())];
}

public sealed class HistoryTenancyTestsOnSqlite(SqliteApiFixture api) : HistoryTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class HistoryTenancyTestsOnPostgres(PostgresApiFixture api) : HistoryTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class HistoryTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : HistoryTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
