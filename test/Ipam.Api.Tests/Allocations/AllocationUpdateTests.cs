using System.Globalization;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// <c>PATCH /v1/subnets/{id}/allocations/{ip}</c>: a reservation renewed, shortened or made permanent, a description
/// set or cleared; the address, owner and creation stay; each change is in the log with its before and after.
/// </summary>
public abstract class AllocationUpdateTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Update_RenewsOrClearsTheReservation_SetsOrClearsTheDescription_KeepsTheRest()
    {
        var id = await SubnetAsync(new { cidr = "10.91.0.0/24" });
        var allocated = await Api.AllocateAsync(id, new { ip_address = "10.91.0.9", owner = "vm-1", description = "first", expires_at = At(TimeSpan.FromHours(1)) });
        var path = $"/v1/subnets/{id}/allocations/10.91.0.9";
        var later = At(TimeSpan.FromHours(2));

        var renewed = await OkAsync(await Api.PatchAsync(path, new { expires_at = later }));
        var shown = await Api.GetJsonAsync(path);
        var permanent = await OkAsync(await Api.PatchJsonAsync(path, """{"expires_at": null, "description": null}"""));
        var described = await OkAsync(await Api.PatchAsync(path, new { description = "second" }));

        Assert.Equal(Time(later), Time(renewed["expires_at"]));
        Assert.Equal(("vm-1", "first", (string?)allocated["created_at"]), ((string?)renewed["owner"], (string?)renewed["description"], (string?)renewed["created_at"]));
        Assert.Equal(renewed.ToJsonString(), shown.ToJsonString());
        Assert.Null(permanent["expires_at"]);
        Assert.Null(permanent["description"]);
        Assert.Equal(("vm-1", "second", null), ((string?)described["owner"], (string?)described["description"], (string?)described["expires_at"]));
        Assert.Equal(described.ToJsonString(), (await Api.GetJsonAsync(path)).ToJsonString());
    }

    [Fact]
    public async Task Update_Recorded_AsAllocationUpdated_WithBeforeAndAfter_OnlyWhenSomethingChanged()
    {
        var id = await SubnetAsync(new { cidr = "10.91.1.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.91.1.9", owner = "vm-2", expires_at = At(TimeSpan.FromHours(1)) });
        var path = $"/v1/subnets/{id}/allocations/10.91.1.9";

        await OkAsync(await Api.PatchJsonAsync(path, """{"expires_at": null, "description": "kept"}"""));
        var recorded = await LastEventAsync(id);
        await OkAsync(await Api.PatchAsync(path, new { description = "kept" }));
        await OkAsync(await Api.PatchJsonAsync(path, "{}"));

        Assert.Equal(("allocation.updated", id, "10.91.1.9"), ((string?)recorded["type"], (string?)recorded["subnet_id"], (string?)recorded["ip_address"]));
        Assert.NotNull(recorded["before"]!["expires_at"]);
        Assert.Null(recorded["before"]!["description"]);
        Assert.Null(recorded["after"]!["expires_at"]);
        Assert.Equal("kept", (string?)recorded["after"]!["description"]);
        Assert.Equal("vm-2", (string?)recorded["after"]!["owner"]);
        Assert.Equal((string?)recorded["id"], (string?)(await LastEventAsync(id))["id"]);
    }

    [Fact]
    public async Task Update_ARenewedReservation_OutlivesItsFirstEnd_AShortenedOneEndsSooner()
    {
        var renewedId = await SubnetAsync(new { cidr = "10.91.2.0/30" });
        var shortenedId = await SubnetAsync(new { cidr = "10.91.3.0/30" });
        var firstEnd = DateTimeOffset.UtcNow.AddSeconds(2);
        await Api.AllocateAsync(renewedId, new { expires_at = firstEnd.ToString("O", CultureInfo.InvariantCulture) });
        await Api.AllocateAsync(shortenedId, new { expires_at = At(TimeSpan.FromHours(1)) });

        await OkAsync(await Api.PatchAsync($"/v1/subnets/{renewedId}/allocations/10.91.2.2", new { expires_at = At(TimeSpan.FromHours(1)) }));
        await OkAsync(await Api.PatchAsync($"/v1/subnets/{shortenedId}/allocations/10.91.3.2", new { expires_at = firstEnd.ToString("O", CultureInfo.InvariantCulture) }));
        await Task.Delay((firstEnd - DateTimeOffset.UtcNow).Add(TimeSpan.FromMilliseconds(300)), TestContext.Current.CancellationToken);

        await ProblemAsync(await PostAllocationAsync(renewedId, new { }), 409, "pool-exhausted");
        Assert.Equal("10.91.3.2", Ip(await Api.AllocateAsync(shortenedId)));
    }

    [Fact]
    public async Task Update_AReservationThatRanOut_IsNotFound_AsAFreeAddress()
    {
        var id = await SubnetAsync(new { cidr = "10.91.4.0/24" });
        var end = DateTimeOffset.UtcNow.AddSeconds(1);
        await Api.AllocateAsync(id, new { ip_address = "10.91.4.9", expires_at = end.ToString("O", CultureInfo.InvariantCulture) });
        await Task.Delay((end - DateTimeOffset.UtcNow).Add(TimeSpan.FromMilliseconds(200)), TestContext.Current.CancellationToken);

        await ProblemAsync(await Api.PatchAsync($"/v1/subnets/{id}/allocations/10.91.4.9", new { expires_at = At(TimeSpan.FromHours(1)) }), 404, "allocation-not-found");
        await ProblemAsync(await Api.PatchAsync($"/v1/subnets/{id}/allocations/10.91.4.10", new { description = "x" }), 404, "allocation-not-found");
    }

    [Theory]
    [InlineData("""{"expires_at": "2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"owner": "someone-else"}""", "owner")]
    [InlineData("""{"description": 5}""", "description")]
    [InlineData("""{"description": "a\u0007b"}""", "description")]
    [InlineData("""{"ip_address": "10.91.5.10"}""", "ip_address")]
    public async Task Update_BadBody_Returns400NamingTheField_AndChangesNothing(string body, string field)
    {
        var id = await SubnetAsync(new { cidr = "10.91.5.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.91.5.9", owner = "vm-5", description = "d", expires_at = At(TimeSpan.FromHours(1)) });
        var before = await Api.SnapshotAsync(id);

        var problem = await ValidationProblemAsync(await Api.PatchJsonAsync($"/v1/subnets/{id}/allocations/10.91.5.9", body));

        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    /// <summary>The subnet's last event: other tests' reservations may run out meanwhile, and the sweep records them too.</summary>
    private async Task<JsonObject> LastEventAsync(string subnetId)
    {
        var page = await Api.GetJsonAsync("/v1/events?tail=100");
        return page["items"]!.AsArray().Last(e => (string?)e!["subnet_id"] == subnetId)!.AsObject();
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response) => await IpamServer.ExpectAsync(response, 200);

    private static string At(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}

public sealed class AllocationUpdateTestsOnSqlite(SqliteApiFixture api) : AllocationUpdateTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AllocationUpdateTestsOnPostgres(PostgresApiFixture api) : AllocationUpdateTests(api), IClassFixture<PostgresApiFixture>;

public sealed class AllocationUpdateTestsOnThreeInstances(ThreeInstancesApiFixture api) : AllocationUpdateTests(api), IClassFixture<ThreeInstancesApiFixture>;
