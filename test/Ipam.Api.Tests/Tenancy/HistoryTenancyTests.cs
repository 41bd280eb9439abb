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

    /// <summary>A page of an address's holders ending with an ended allocation carries its log position: sealed for a tenant.</summary>
    [Fact]
    public async Task AddressHolders_Member_PagesInFull_CursorsAreSealedAndItsOwn()
    {
        var memberA = await MemberAsync(NewTenant());
        var memberB = await MemberAsync(NewTenant());
        var subnets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var subnet = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.77.0.0/24" })));
            subnets.Add(subnet);
            await CreatedAsync(PostAsync(memberA, $"/v1/subnets/{subnet}/allocations", new { ip_address = "10.77.0.9", owner = $"holder-{i}" }));
            var other = Id(await CreatedAsync(PostAsync(memberB, "/v1/subnets", new { cidr = "10.77.0.0/24" })));
            await CreatedAsync(PostAsync(memberB, $"/v1/subnets/{other}/allocations", new { ip_address = "10.77.0.9", owner = "b" }));
        }

        await Task.Delay(5);
        var at = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await Task.Delay(5);
        foreach (var subnet in subnets)
        {
            AssertStatus(await memberA.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.77.0.9"), HttpStatusCode.NoContent);
        }

        var path = $"/v1/addresses/10.77.0.9?at={at}";
        var first = await OkAsync(memberA.GetAsync($"{path}&limit=2"));
        var cursor = (string)first["next"]!;
        var rest = await OkAsync(memberA.GetAsync($"{path}&limit=2&cursor={Uri.EscapeDataString(cursor)}"));

        Assert.Equal(subnets.Order(StringComparer.Ordinal), first["items"]!.AsArray().Concat(rest["items"]!.AsArray()).Select(p => (string)p!["subnet_id"]!));
        Assert.Null(rest["next"]);
        Assert.Matches("^[0-9a-f-]{36},c[A-Za-z0-9_-]{22}$", cursor);
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(
            await memberB.GetAsync($"{path}&cursor={Uri.EscapeDataString(cursor)}")))["errors"]!["cursor"]);
    }

    /// <summary>
    /// Caller-chosen ids are global: once a tenant's subnet is deleted, another tenant may take its id. The subnet it
    /// creates shows nothing of the earlier one (history, cooldown), nor does the next subnet under that id show anything
    /// of it, whoever creates that one (here the first tenant again, whose own earlier subnet it shows nothing of either).
    /// </summary>
    [Fact]
    public async Task SubnetIdTakenAgain_ByAnotherTenant_HistoryAndCooldownAreOnlyThatSubnets()
    {
        var acme = await MemberAsync(NewTenant());
        var beta = await MemberAsync(NewTenant());
        var admin = await AdminAsync();
        var id = Guid.NewGuid().ToString();
        var owner = $"acme-db-{Guid.NewGuid():N}";
        // A /29 with the gateway at .1: the pool is .2 to .6.
        await CreatedAsync(PostAsync(acme, "/v1/subnets", new { id, cidr = "10.73.0.0/29" }));
        var held = await CreatedAsync(PostAsync(acme, $"/v1/subnets/{id}/allocations", new { ip_address = "10.73.0.5", owner, description = "acme's database" }));
        Assert.Equal("10.73.0.2", Ip(await CreatedAsync(PostAsync(acme, $"/v1/subnets/{id}/allocations", new { strategy = "next" }))));
        AssertStatus(await acme.DeleteAsync($"/v1/subnets/{id}/allocations/10.73.0.2"), HttpStatusCode.NoContent);
        await Task.Delay(5);
        AssertStatus(await acme.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        await CreatedAsync(PostAsync(beta, "/v1/subnets", new { id, cidr = "10.73.0.0/29", reuse_cooldown_seconds = 3600 }));

        Assert.Empty(await AddressHistoryAsync(beta, id, "10.73.0.5"));
        Assert.Empty(await AddressHistoryAsync(beta, id, "10.73.0.2"));
        Assert.Empty(await AddressHistoryAsync(admin, id, "10.73.0.5"));
        // What acme released does not cool down here: next takes it, and once the pool is full nothing is cooling down.
        Assert.Equal("10.73.0.2", Ip(await CreatedAsync(PostAsync(beta, $"/v1/subnets/{id}/allocations", new { strategy = "next" }))));
        await CreatedAsync(PostAsync(beta, $"/v1/subnets/{id}/allocations", new { count = 4, strategy = "next", owner = "beta-vm" }));
        var full = await ProblemAsync(await PostAsync(beta, $"/v1/subnets/{id}/allocations", new { strategy = "next" }), 409, "pool-exhausted");
        Assert.Equal(0, (int)full["cooling_down"]!);
        Assert.Equal("all-allocated", (string?)full["reason"]);
        // Who held the address at a time is answered from what each change recorded, by tenant: acme's past is its own.
        var at = $"/v1/addresses/10.73.0.5?at={Uri.EscapeDataString((string)held["created_at"]!)}";
        Assert.DoesNotContain(await HoldersAsync(beta, at), h => (string?)h["subnet_id"] == id);
        Assert.Equal(owner, (string?)Assert.Single(await HoldersAsync(acme, at), h => (string?)h["subnet_id"] == id)["owner"]);
        Assert.Empty((await OkAsync(beta.GetAsync($"/v1/allocations?owner={owner}")))["items"]!.AsArray());

        // The other way round: beta's subnet goes, acme takes the id again, and sees neither beta's past nor its own.
        AssertStatus(await beta.DeleteAsync($"/v1/subnets/{id}/allocations/10.73.0.5"), HttpStatusCode.NoContent);
        Assert.Equal(["beta-vm"], (await AddressHistoryAsync(beta, id, "10.73.0.5")).Select(p => (string?)p["owner"]));
        AssertStatus(await beta.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);
        await CreatedAsync(PostAsync(acme, "/v1/subnets", new { id, cidr = "10.73.0.0/29", reuse_cooldown_seconds = 3600 }));

        Assert.Empty(await AddressHistoryAsync(acme, id, "10.73.0.5"));
        Assert.Empty(await AddressHistoryAsync(acme, id, "10.73.0.2"));
        Assert.Equal("10.73.0.2", Ip(await CreatedAsync(PostAsync(acme, $"/v1/subnets/{id}/allocations", new { strategy = "next" }))));
    }

    private static async Task<List<JsonObject>> AddressHistoryAsync(HttpClient client, string subnetId, string address)
    {
        var page = await OkAsync(client.GetAsync($"/v1/subnets/{subnetId}/allocations/{address}/history"));
        Assert.Null(page["next"]);
        return [.. page["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static async Task<List<JsonObject>> HoldersAsync(HttpClient client, string path) =>
        [.. (await OkAsync(client.GetAsync(path)))["items"]!.AsArray().Select(i => i!.AsObject())];
}

public sealed class HistoryTenancyTestsOnSqlite(SqliteApiFixture api) : HistoryTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class HistoryTenancyTestsOnPostgres(PostgresApiFixture api) : HistoryTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class HistoryTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : HistoryTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
