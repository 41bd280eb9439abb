using System.Globalization;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Reservations with <c>expires_at</c>: validated, returned as UTC, and free again once expired.</summary>
public abstract class ExpiryTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_ExpiresAtInPast_Returns400AndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.66.0.0/24" });
        var before = await Api.SnapshotAsync(id);

        var past = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
        await ValidationProblemAsync(await PostAllocationAsync(id, new { expires_at = past }));
        await ValidationProblemAsync(await PostAllocationAsync(id, new { ip_address = "10.66.0.9", expires_at = past }));

        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_ExpiresAtInFuture_ReturnedAsUtc()
    {
        var id = await SubnetAsync(new { cidr = "10.66.1.0/24" });
        var expires = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var allocation = await Api.AllocateAsync(id, new { ip_address = "10.66.1.9", expires_at = "2099-01-02T05:04:05+02:00" });

        var text = (string)allocation["expires_at"]!;
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.Equal(expires, DateTimeOffset.Parse(text, CultureInfo.InvariantCulture));
        var shown = await Api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.66.1.9");
        Assert.Equal(expires, DateTimeOffset.Parse((string)shown["expires_at"]!, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2099-01-02T03:04:05.123456789Z")]
    [InlineData("2099-01-02T05:04:05.1239999999+02:00")]
    public async Task Allocate_ExpiresAtWithNanoseconds_AcceptedAndTruncated(string expiresAt)
    {
        var id = await SubnetAsync(new { cidr = "10.66.3.0/24" });

        var allocation = await Api.AllocateAsync(id, new { expires_at = expiresAt });

        Assert.Equal("2099-01-02T03:04:05.123Z", (string?)allocation["expires_at"]);
        Assert.Equal("2099-01-02T03:04:05.123Z", (string?)(await Api.GetJsonAsync($"/v1/subnets/{id}/allocations/{Ip(allocation)}"))["expires_at"]);
    }

    [Fact]
    public async Task Allocate_ExpiredReservation_AddressBecomesAllocatableAgain()
    {
        var id = await SubnetAsync(new { cidr = "10.66.2.0/30" });
        var expires = DateTimeOffset.UtcNow.AddSeconds(3);
        var reserved = await Api.AllocateAsync(id, new { expires_at = expires.ToString("O", CultureInfo.InvariantCulture) });
        Assert.Equal("10.66.2.2", Ip(reserved));
        await ProblemAsync(await PostAllocationAsync(id, new { }), 409, "pool-exhausted");

        await DelayPastAsync(expires);

        var again = await Api.AllocateAsync(id, new { owner = "after-expiry" });
        Assert.Equal("10.66.2.2", Ip(again));
        Assert.Null(again["expires_at"]);
        var listed = Assert.Single(await Api.AllocationsAsync(id));
        Assert.Equal("after-expiry", (string?)listed["owner"]);

        await AssertOneHolderAtATimeAsync(id, again);
    }

    [Fact]
    public async Task Allocate_ExpiredReservationAskedForByAddress_EndsNoLaterThanTheNewAllocation()
    {
        var id = await SubnetAsync(new { cidr = "10.66.3.0/29" });
        var expires = DateTimeOffset.UtcNow.AddSeconds(1);
        await Api.AllocateAsync(id, new { ip_address = "10.66.3.4", expires_at = expires.ToString("O", CultureInfo.InvariantCulture) });

        await DelayPastAsync(expires);

        var again = await Api.AllocateAsync(id, new { ip_address = "10.66.3.4", owner = "after-expiry" });
        await AssertOneHolderAtATimeAsync(id, again);
    }

    private static async Task DelayPastAsync(DateTimeOffset moment)
    {
        var left = moment - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>The reservation ended no later than the request that took its address over: one holder at every moment.</summary>
    private async Task AssertOneHolderAtATimeAsync(string subnetId, System.Text.Json.Nodes.JsonObject taker)
    {
        var address = Ip(taker);
        var history = (await Api.GetJsonAsync($"/v1/subnets/{subnetId}/allocations/{address}/history"))["items"]!.AsArray();
        var ended = Assert.Single(history, h => h!["released_at"] is not null)!;
        Assert.True(Time(ended["released_at"]) <= Time(taker["created_at"]), $"released {ended["released_at"]}, taken over {taker["created_at"]}");
        var holders = (await Api.GetJsonAsync($"/v1/addresses/{address}?at={Uri.EscapeDataString((string)taker["created_at"]!)}"))["items"]!.AsArray();
        Assert.Equal([(string?)taker["owner"]], holders.Where(h => (string?)h!["subnet_id"] == subnetId).Select(h => (string?)h!["owner"]));
    }

    private static DateTimeOffset Time(System.Text.Json.Nodes.JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}

public sealed class ExpiryTestsOnSqlite(SqliteApiFixture api) : ExpiryTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ExpiryTestsOnPostgres(PostgresApiFixture api) : ExpiryTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ExpiryTestsOnThreeInstances(ThreeInstancesApiFixture api) : ExpiryTests(api), IClassFixture<ThreeInstancesApiFixture>;
