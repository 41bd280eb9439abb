using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.History.AllocationHistoryTests;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.History;

/// <summary><c>GET /v1/addresses/{ip}?at=TIME</c>: who held an address, then or now, in every subnet that contains it.</summary>
public abstract class AddressHoldersTests(ApiFixture api)
{
    [Fact]
    public async Task Holders_TwoOverlappingSubnets_NowAndAtEarlierTimes()
    {
        var wide = Id(await api.CreateSubnetAsync(new { cidr = "10.71.0.0/16" }));
        var narrow = Id(await api.CreateSubnetAsync(new { cidr = "10.71.0.0/24" }));
        var elsewhere = Id(await api.CreateSubnetAsync(new { cidr = "10.72.0.0/24" }));
        var a = await api.AllocateAsync(wide, new { ip_address = "10.71.0.9", owner = "a" });
        await api.AllocateAsync(elsewhere, new { ip_address = "10.72.0.9", owner = "unrelated" });
        await Task.Delay(5);
        var b = await api.AllocateAsync(narrow, new { ip_address = "10.71.0.9", owner = "b" });
        await Task.Delay(5);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{wide}/allocations/10.71.0.9"), HttpStatusCode.NoContent);
        var released = Time((await api.GetJsonAsync($"/v1/subnets/{wide}/allocations/10.71.0.9/history"))["items"]![0]!["released_at"]);

        var now = await HoldersAsync("10.71.0.9");
        var whenBoth = await HoldersAsync("10.71.0.9", Time(b["created_at"]));
        var beforeB = await HoldersAsync("10.71.0.9", Time(a["created_at"]));
        var beforeAll = await HoldersAsync("10.71.0.9", Time(a["created_at"]).AddMilliseconds(-1));
        var atRelease = await HoldersAsync("10.71.0.9", released);

        var holder = Assert.Single(now);
        Assert.Equal(["subnet_id", "cidr", "owner", "description", "allocated_at", "released_at", "release_reason"], holder.Select(p => p.Key));
        Assert.Equal((narrow, "10.71.0.0/24", "b"), Holder(holder));
        Assert.Null(holder["released_at"]);
        Assert.Equal(new[] { (narrow, "10.71.0.0/24", "b"), (wide, "10.71.0.0/16", "a") }.OrderBy(h => h.Item1, StringComparer.Ordinal), whenBoth.Select(Holder));
        var past = Assert.Single(whenBoth, h => (string?)h["subnet_id"] == wide);
        Assert.Equal(released, Time(past["released_at"]));
        Assert.Equal("released", (string?)past["release_reason"]);
        Assert.Equal([(wide, "10.71.0.0/16", "a")], beforeB.Select(Holder));
        Assert.Empty(beforeAll);
        Assert.Equal([(narrow, "10.71.0.0/24", "b")], atRelease.Select(Holder));
    }

    [Fact]
    public async Task Holders_AfterOneSubnetIsDeleted_PastAnswersStillNameIt()
    {
        var kept = Id(await api.CreateSubnetAsync(new { cidr = "10.73.0.0/24" }));
        var deleted = Id(await api.CreateSubnetAsync(new { cidr = "10.73.0.0/25" }));
        var k = await api.AllocateAsync(kept, new { ip_address = "10.73.0.20", owner = "kept" });
        var d = await api.AllocateAsync(deleted, new { ip_address = "10.73.0.20", owner = "gone" });
        var before = Time(d["created_at"]);
        await Task.Delay(5);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{deleted}?force=true"), HttpStatusCode.NoContent);

        var now = await HoldersAsync("10.73.0.20");
        var then = await HoldersAsync("10.73.0.20", before);

        Assert.Equal([(kept, "10.73.0.0/24", "kept")], now.Select(Holder));
        Assert.Equal(new[] { (kept, "10.73.0.0/24", "kept"), (deleted, "10.73.0.0/25", "gone") }.OrderBy(h => h.Item1, StringComparer.Ordinal),
            then.Select(Holder));
        var gone = Assert.Single(then, h => (string?)h["subnet_id"] == deleted);
        Assert.Equal("subnet-deleted", (string?)gone["release_reason"]);
        Assert.Equal(Time(k["created_at"]), Time(Assert.Single(then, h => (string?)h["subnet_id"] == kept)["allocated_at"]));
    }

    [Fact]
    public async Task Holders_Ipv6_FoundAtEveryPrefixLength()
    {
        var subnets = new List<string>();
        foreach (var cidr in new[] { "2001:db8:74::/48", "2001:db8:74::/64", "2001:db8:74::/120", "2001:db8:74::4/127" })
        {
            var id = Id(await api.CreateSubnetAsync(new { cidr }));
            subnets.Add(id);
            await api.AllocateAsync(id, new { ip_address = "2001:db8:74::5", owner = cidr });
        }

        var holders = await HoldersAsync("2001:DB8:74:0::5");

        Assert.Equal(subnets.Order(StringComparer.Ordinal), holders.Select(h => (string)h["subnet_id"]!));
        Assert.All(holders, h => Assert.Equal((string?)h["owner"], (string?)h["cidr"]));
    }

    [Fact]
    public async Task Holders_PagedWithLimitAndCursor_NowAndAtATime_SameAsOnePage()
    {
        var subnets = new List<string>();
        foreach (var cidr in new[] { "10.76.0.0/16", "10.76.0.0/20", "10.76.0.0/24", "10.76.0.0/24", "10.76.0.8/29" })
        {
            var id = Id(await api.CreateSubnetAsync(new { cidr }));
            subnets.Add(id);
            await api.AllocateAsync(id, new { ip_address = "10.76.0.10", owner = "first" });
        }

        await Task.Delay(5);
        var then = DateTimeOffset.UtcNow;
        await Task.Delay(5);
        foreach (var id in subnets.Take(2))
        {
            AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.76.0.10"), HttpStatusCode.NoContent);
        }

        await api.AllocateAsync(subnets[0], new { ip_address = "10.76.0.10", owner = "second" });
        var at = "at=" + Uri.EscapeDataString(then.ToString("O", CultureInfo.InvariantCulture));

        var nowPages = await PagesAsync("/v1/addresses/10.76.0.10?limit=2");
        var thenPages = await PagesAsync($"/v1/addresses/10.76.0.10?{at}&limit=2");
        var nowWhole = await api.GetJsonAsync("/v1/addresses/10.76.0.10?limit=1000");
        var thenWhole = await api.GetJsonAsync($"/v1/addresses/10.76.0.10?{at}");

        Assert.Equal([2, 2], nowPages.Select(p => p.Count));
        Assert.Equal([2, 2, 1], thenPages.Select(p => p.Count));
        var inOrder = subnets.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(inOrder.Where(id => id != subnets[1]), nowPages.SelectMany(p => p).Select(h => (string)h["subnet_id"]!));
        Assert.Equal(inOrder, thenPages.SelectMany(p => p).Select(h => (string)h["subnet_id"]!));
        Assert.Equal(nowWhole["items"]!.ToJsonString(), new JsonArray([.. nowPages.SelectMany(p => p).Select(h => h.DeepClone())]).ToJsonString());
        Assert.Equal(thenWhole["items"]!.ToJsonString(), new JsonArray([.. thenPages.SelectMany(p => p).Select(h => h.DeepClone())]).ToJsonString());
        Assert.All(thenPages.SelectMany(p => p), h => Assert.Equal("first", (string?)h["owner"]));
        Assert.Equal(2, thenPages.SelectMany(p => p).Count(h => h["released_at"] is not null));
    }

    [Theory]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70,")]
    [InlineData("cursor=0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70,-4")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    public async Task Holders_BadCursorOrLimit_Returns400NamingIt(string query)
    {
        var problem = await ValidationProblemAsync(await api.Client.GetAsync($"/v1/addresses/10.76.1.9?{query}"));

        Assert.NotNull(problem["errors"]![query[..query.IndexOf('=', StringComparison.Ordinal)]]);
    }

    private async Task<List<List<JsonObject>>> PagesAsync(string path)
    {
        var pages = new List<List<JsonObject>>();
        string? cursor = null;
        do
        {
            var page = await api.GetJsonAsync(cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}");
            pages.Add([.. page["items"]!.AsArray().Select(i => i!.AsObject())]);
            cursor = (string?)page["next"];
        }
        while (cursor is not null && pages.Count < 10);

        return pages;
    }

    [Fact]
    public async Task Holders_NeverAllocated_IsEmpty()
    {
        await api.CreateSubnetAsync(new { cidr = "10.75.0.0/24" });

        var page = await api.GetJsonAsync("/v1/addresses/10.75.0.77");

        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["next"]);
    }

    [Theory]
    [InlineData("/v1/addresses/10.75.1.300")]
    [InlineData("/v1/addresses/not-an-address")]
    [InlineData("/v1/addresses/10.75.1.3?at=yesterday")]
    [InlineData("/v1/addresses/10.75.1.3?at=2026-13-01T00:00:00Z")]
    [InlineData("/v1/addresses/10.75.1.3?at=2026-12-05")]
    [InlineData("/v1/addresses/10.75.1.3?at=1700000000")]
    [InlineData("/v1/addresses/10.75.1.3?at=12%2F05%2F2026%2010:00:00")]
    public async Task Holders_BadAddressOrTime_Returns400(string path) =>
        await ValidationProblemAsync(await api.Client.GetAsync(path));

    [Fact]
    public async Task Holders_TimeOutOfRangeInUtc_Returns400SayingWhichRange()
    {
        var problem = await ValidationProblemAsync(await api.Client.GetAsync($"/v1/addresses/10.75.1.3?at={Uri.EscapeDataString("9999-12-31T23:59:59-01:00")}"));

        Assert.Equal(
            "at is out of range: times from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z, once converted to UTC, are accepted.",
            (string?)problem["errors"]!["at"]![0]);
    }

    [Fact]
    public async Task Holders_PlusOfTheOffsetSentUnencoded_Returns400SayingHowToSendIt()
    {
        // The '+' of "+01:00" left as is in a query string arrives as a space.
        var problem = await ValidationProblemAsync(await api.Client.GetAsync("/v1/addresses/10.75.1.3?at=2026-12-06T13:05:49.716+01:00"));

        Assert.Equal(
            "'2026-12-06T13:05:49.716 01:00' is not a time (expected an RFC 3339 date and time, e.g. 2099-05-01T12:00:00Z; UTC without an offset). " +
            "A '+' in a query string must be sent as %2B.",
            (string?)problem["errors"]!["at"]![0]);
        var plain = await ValidationProblemAsync(await api.Client.GetAsync("/v1/addresses/10.75.1.3?at=yesterday"));
        Assert.DoesNotContain("%2B", (string?)plain["errors"]!["at"]![0]);
    }

    [Fact]
    public async Task Holders_TimeWithoutOffset_IsUtc()
    {
        var subnet = Id(await api.CreateSubnetAsync(new { cidr = "10.74.9.0/24" }));
        var held = await api.AllocateAsync(subnet, new { ip_address = "10.74.9.9", owner = "utc" });
        var at = Time(held["created_at"]).UtcDateTime.AddMilliseconds(1);

        var withoutOffset = await api.GetJsonAsync($"/v1/addresses/10.74.9.9?at={at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)}");
        var hourLater = await api.GetJsonAsync($"/v1/addresses/10.74.9.9?at={Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "-01:00")}");
        var hourEarlier = await api.GetJsonAsync($"/v1/addresses/10.74.9.9?at={Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+01:00")}");

        Assert.Contains(withoutOffset["items"]!.AsArray(), h => (string?)h!["owner"] == "utc");
        Assert.Contains(hourLater["items"]!.AsArray(), h => (string?)h!["owner"] == "utc");
        Assert.DoesNotContain(hourEarlier["items"]!.AsArray(), h => (string?)h!["subnet_id"] == subnet);
    }

    [Fact]
    public async Task Holders_TimeWithNanoseconds_Accepted()
    {
        var subnet = Id(await api.CreateSubnetAsync(new { cidr = "10.74.10.0/24" }));
        var held = await api.AllocateAsync(subnet, new { ip_address = "10.74.10.9", owner = "nano" });
        var at = Time(held["created_at"]).UtcDateTime.AddMilliseconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "123456Z";

        var holders = await api.GetJsonAsync($"/v1/addresses/10.74.10.9?at={at}");

        Assert.Contains(holders["items"]!.AsArray(), h => (string?)h!["owner"] == "nano");
    }

    private async Task<List<JsonObject>> HoldersAsync(string ip, DateTimeOffset? at = null)
    {
        var query = at is { } time ? "?at=" + Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture)) : "";
        var page = await api.GetJsonAsync($"/v1/addresses/{ip}{query}");
        Assert.Null(page["next"]);
        return [.. page["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static (string, string, string) Holder(JsonObject holder) =>
        ((string)holder["subnet_id"]!, (string)holder["cidr"]!, (string)holder["owner"]!);
}

public sealed class AddressHoldersTestsOnSqlite(SqliteApiFixture api) : AddressHoldersTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AddressHoldersTestsOnPostgres(PostgresApiFixture api) : AddressHoldersTests(api), IClassFixture<PostgresApiFixture>;

public sealed class AddressHoldersTestsOnThreeInstances(ThreeInstancesApiFixture api) : AddressHoldersTests(api), IClassFixture<ThreeInstancesApiFixture>;
