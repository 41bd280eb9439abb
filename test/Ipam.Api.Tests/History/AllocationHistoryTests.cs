using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.History;

/// <summary><c>GET /v1/subnets/{id}/allocations/{ip}/history</c>: the current allocation, then every ended one, newest first.</summary>
public abstract class AllocationHistoryTests(ApiFixture api)
{
    [Fact]
    public async Task History_AllocateReleaseAllocate_ListsCurrentThenReleasedNewestFirst()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.0.0/24" }));
        var first = await api.AllocateAsync(id, new { ip_address = "10.70.0.5", owner = "vm-1", description = "first" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.70.0.5"), HttpStatusCode.NoContent);
        var second = await api.AllocateAsync(id, new { ip_address = "10.70.0.5", owner = "vm-2" });

        var items = await HistoryAsync(id, "10.70.0.5");

        Assert.Equal(2, items.Count);
        Assert.Equal(["ip_address", "owner", "description", "allocated_at", "allocated_by", "released_at", "released_by", "release_reason"],
            items[0].Select(p => p.Key));
        AssertPeriod(items[0], "vm-2", null, Time(second["created_at"]), null, null);
        AssertPeriod(items[1], "vm-1", "first", Time(first["created_at"]), "anonymous", "released");
        Assert.Equal("anonymous", (string?)items[0]["allocated_by"]);
        Assert.Equal("anonymous", (string?)items[1]["allocated_by"]);
        Assert.InRange(Time(items[1]["released_at"]), Time(first["created_at"]), Time(second["created_at"]));
    }

    [Fact]
    public async Task History_ExpiredReservation_EndsAsExpiredBySystem()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.1.0/24" }));
        var expires = DateTimeOffset.UtcNow.AddSeconds(1);
        var reserved = await api.AllocateAsync(id, new { ip_address = "10.70.1.7", owner = "lease", expires_at = expires.ToString("O", CultureInfo.InvariantCulture) });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // A specific request for the address frees it if no sweep has yet.
        await api.AllocateAsync(id, new { ip_address = "10.70.1.7", owner = "next" });

        var items = await HistoryAsync(id, "10.70.1.7");
        Assert.Equal(2, items.Count);
        AssertPeriod(items[0], "next", null, null, null, null);
        AssertPeriod(items[1], "lease", null, Time(reserved["created_at"]), "system", "expired");
        Assert.True(Time(items[1]["released_at"]) >= expires.AddMilliseconds(-1));
    }

    [Fact]
    public async Task History_NeverAllocated_IsEmpty()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.2.0/24" }));
        await api.AllocateAsync(id, new { ip_address = "10.70.2.6" });

        var page = await api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.70.2.5/history");

        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task History_OtherSubnetWithSameAddress_IsNotMixedIn()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.3.0/24" }));
        var other = Id(await api.CreateSubnetAsync(new { cidr = "10.70.3.0/24" }));
        await api.AllocateAsync(other, new { ip_address = "10.70.3.5", owner = "other" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{other}/allocations/10.70.3.5"), HttpStatusCode.NoContent);
        await api.AllocateAsync(id, new { ip_address = "10.70.3.5", owner = "mine" });

        var items = await HistoryAsync(id, "10.70.3.5");

        AssertPeriod(Assert.Single(items), "mine", null, null, null, null);
    }

    [Fact]
    public async Task History_ManyPeriods_PagesNewestFirstWithoutGapsOrRepeats()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.4.0/24" }));
        for (var i = 0; i < 5; i++)
        {
            await api.AllocateAsync(id, new { ip_address = "10.70.4.9", owner = $"owner-{i}" });
            AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.70.4.9"), HttpStatusCode.NoContent);
        }

        await api.AllocateAsync(id, new { ip_address = "10.70.4.9", owner = "owner-5" });

        var paged = await api.ListAllAsync($"/v1/subnets/{id}/allocations/10.70.4.9/history", limit: 2);
        var whole = await HistoryAsync(id, "10.70.4.9");

        Assert.Equal(["owner-5", "owner-4", "owner-3", "owner-2", "owner-1", "owner-0"], paged.Select(p => (string?)p["owner"]));
        Assert.Equal(whole.Select(p => p.ToJsonString()), paged.Select(p => p.ToJsonString()));
        var first = await api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.70.4.9/history?limit=1");
        Assert.NotNull((string?)first["next"]);
    }

    [Fact]
    public async Task History_ForcedSubnetDelete_SubnetIsGoneButEndsAreLogged()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.5.0/24" }));
        var held = await api.AllocateAsync(id, new { ip_address = "10.70.5.5", owner = "doomed" });

        // Times are compared to the millisecond: one that ended in the millisecond it began held the address at no time shown.
        await Task.Delay(5);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.70.5.5/history"), 404, "subnet-not-found");
        Assert.Equal(id, (string?)problem["subnet_id"]);

        var at = Time(held["created_at"]).ToString("O", CultureInfo.InvariantCulture);
        var holders = (await api.GetJsonAsync($"/v1/addresses/10.70.5.5?at={Uri.EscapeDataString(at)}"))["items"]!.AsArray();
        var holder = Assert.Single(holders, h => (string?)h!["subnet_id"] == id)!;
        Assert.Equal("10.70.5.0/24", (string?)holder["cidr"]);
        Assert.Equal("doomed", (string?)holder["owner"]);
        Assert.Equal("subnet-deleted", (string?)holder["release_reason"]);
    }

    /// <summary>
    /// A subnet created again under the id of a deleted one (by the same caller, no tenant) is a new subnet: the address's
    /// history starts with it, and the earlier subnet's allocations are found by time only.
    /// </summary>
    [Fact]
    public async Task History_SubnetCreatedAgainUnderItsId_ShowsOnlyTheNewSubnetsAllocations()
    {
        var id = Guid.NewGuid().ToString();
        await api.CreateSubnetAsync(new { id, cidr = "10.70.9.0/24" });
        var earlier = await api.AllocateAsync(id, new { ip_address = "10.70.9.5", owner = "earlier", description = "the first subnet's" });
        await Task.Delay(5);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.70.9.5"), HttpStatusCode.NoContent);
        await api.AllocateAsync(id, new { ip_address = "10.70.9.5", owner = "earlier-2" });
        await Task.Delay(5);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);
        await api.CreateSubnetAsync(new { id, cidr = "10.70.9.0/24" });

        Assert.Empty(await HistoryAsync(id, "10.70.9.5"));

        await api.AllocateAsync(id, new { ip_address = "10.70.9.5", owner = "later" });
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.70.9.5"), HttpStatusCode.NoContent);
        await api.AllocateAsync(id, new { ip_address = "10.70.9.5", owner = "latest" });
        Assert.Equal(["latest", "later"], (await HistoryAsync(id, "10.70.9.5")).Select(p => (string?)p["owner"]));

        var at = Uri.EscapeDataString(Time(earlier["created_at"]).ToString("O", CultureInfo.InvariantCulture));
        var then = (await api.GetJsonAsync($"/v1/addresses/10.70.9.5?at={at}"))["items"]!.AsArray();
        Assert.Equal("earlier", (string?)Assert.Single(then, h => (string?)h!["subnet_id"] == id)!["owner"]);
    }

    [Fact]
    public async Task History_UnknownSubnet_Returns404()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.0.0.5/history"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Theory]
    [InlineData("10.70.7.5")]
    [InlineData("2001:db8::5")]
    public async Task History_AddressOutsideSubnet_Returns400(string address)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.6.0/24" }));

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/{address}/history"), 400, "address-outside-subnet");

        Assert.Equal("10.70.6.0/24", (string?)problem["cidr"]);
    }

    [Theory]
    [InlineData("10.70.8.300/history")]
    [InlineData("10.70.8.5/history?cursor=abc")]
    [InlineData("10.70.8.5/history?cursor=-4")]
    [InlineData("10.70.8.5/history?limit=0")]
    public async Task History_BadInput_Returns400(string path)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.70.8.0/24" }));

        await ValidationProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}/allocations/{path}"));
    }

    private async Task<List<JsonObject>> HistoryAsync(string subnetId, string ip)
    {
        var page = await api.GetJsonAsync($"/v1/subnets/{subnetId}/allocations/{ip}/history");
        Assert.Null(page["next"]);
        return [.. page["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static void AssertPeriod(JsonObject period, string? owner, string? description, DateTimeOffset? allocatedAt, string? releasedBy, string? reason)
    {
        Assert.Equal(owner, (string?)period["owner"]);
        Assert.Equal(description, (string?)period["description"]);
        if (allocatedAt is { } at)
        {
            Assert.Equal(at, Time(period["allocated_at"]));
        }

        Assert.Equal(releasedBy, (string?)period["released_by"]);
        Assert.Equal(reason, (string?)period["release_reason"]);
        Assert.Equal(reason is null, period["released_at"] is null);
    }

    internal static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}

public sealed class AllocationHistoryTestsOnSqlite(SqliteApiFixture api) : AllocationHistoryTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AllocationHistoryTestsOnPostgres(PostgresApiFixture api) : AllocationHistoryTests(api), IClassFixture<PostgresApiFixture>;
