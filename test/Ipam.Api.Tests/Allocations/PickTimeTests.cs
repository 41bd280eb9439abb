using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// The time an allocation chosen by <c>next</c> or <c>random</c> is made, as its history and <c>/v1/addresses</c> show
/// it: never before the release, or the end of the reuse cooldown, that freed its address. A request's time is taken
/// when it starts, and what frees the address (the end of a cooldown, another instance's release read from the log)
/// may come to it later in the same request; a clock that moves at every read makes that happen on every request.
/// A specific request is dated no earlier than the address's last release either.
/// </summary>
public abstract class PickTimeTests(StoreKind store) : ServerOnClockTests<SteppingClock>(store, new SteppingClock(new DateTimeOffset(2030, 6, 7, 8, 9, 10, TimeSpan.Zero), TimeSpan.FromSeconds(1)))
{
    private const int Cooldown = 600;

    [Theory]
    [InlineData("next")]
    [InlineData("random")]
    public async Task Allocation_OfAnAddressWhoseCooldownEndsDuringTheRequest_IsMadeNoEarlierThanTheEnd(string strategy)
    {
        // A /30 has one pool address, .2 (the gateway is .1): allocated, released, and nothing else to pick.
        var subnet = await Server.CreateSubnetAsync(new { cidr = "10.171.0.0/30", reuse_cooldown_seconds = Cooldown });
        var id = (string)subnet["id"]!;
        await Server.AllocateAsync(id, new { strategy });

        // Released through another instance than the one that picks, where there are several.
        var (releaser, picker) = ReleaserAndAllocator();
        Assert.Equal(HttpStatusCode.NoContent, (await releaser.DeleteAsync($"/v1/subnets/{id}/allocations/10.171.0.2")).StatusCode);
        var released = TimeOf((await Server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.171.0.2/history"))["items"]![0]!["released_at"]);
        var cooledDown = released.AddSeconds(Cooldown);

        // Each attempt starts one step later than the one before, until one finds the cooldown over during the request.
        Clock.Stepping = true;
        for (var start = cooledDown.AddSeconds(-60); start <= cooledDown; start = start.AddSeconds(1))
        {
            Clock.Set(start);
            var response = await picker.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy, owner = "next-holder" });
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                continue;
            }

            Clock.Stepping = false;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var allocatedAt = TimeOf((await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["created_at"]);
            Assert.True(allocatedAt >= cooledDown, $"Allocated at {allocatedAt:O}, before its cooldown ended at {cooledDown:O}.");

            var history = (await Server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.171.0.2/history"))["items"]!.AsArray();
            Assert.True(TimeOf(history[0]!["allocated_at"]) - TimeOf(history[1]!["released_at"]) >= TimeSpan.FromSeconds(Cooldown));
            return;
        }

        Assert.Fail("No attempt got the address once its cooldown was over.");
    }

    [Fact]
    public async Task Specific_allocation_of_an_address_released_by_a_clock_ahead_is_made_no_earlier_than_the_release()
    {
        // A clock ahead at the release: another instance's, or this one's before it was set back. The same read after
        // the insert answers for a release committed while the insert waited for its row.
        var subnet = await Server.CreateSubnetAsync(new { cidr = "10.172.0.0/29" });
        var id = (string)subnet["id"]!;
        var start = new DateTimeOffset(2030, 7, 1, 0, 0, 0, TimeSpan.Zero);
        Clock.Set(start);
        await Server.AllocateAsync(id, new { ip_address = "10.172.0.2", owner = "first-holder" });

        var (releaser, allocator) = ReleaserAndAllocator();
        var releasedAt = start.AddHours(1);
        Clock.Set(releasedAt);
        Assert.Equal(HttpStatusCode.NoContent, (await releaser.DeleteAsync($"/v1/subnets/{id}/allocations/10.172.0.2")).StatusCode);

        Clock.Set(start.AddMinutes(1));
        var response = await allocator.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.172.0.2", owner = "next-holder" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(releasedAt, TimeOf((await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["created_at"]));

        var history = (await Server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.172.0.2/history"))["items"]!.AsArray();
        Assert.Equal(["next-holder", "first-holder"], history.Select(h => (string)h!["owner"]!));
        Assert.Equal(releasedAt, TimeOf(history[0]!["allocated_at"]));

        // Half-way between the two clocks' times, one holder: the first.
        var between = start.AddMinutes(30).ToString("O", CultureInfo.InvariantCulture);
        var holders = (await Server.GetJsonAsync($"/v1/addresses/10.172.0.2?at={Uri.EscapeDataString(between)}"))["items"]!.AsArray();
        Assert.Equal(["first-holder"], holders.Select(h => (string)h!["owner"]!));
    }

    /// <summary>Clients of two different instances where there are several, else the server's one client twice.</summary>
    private (HttpClient Releaser, HttpClient Allocator) ReleaserAndAllocator() => Server.InstanceClients.Count > 1
        ? (Server.InstanceClients[1], Server.InstanceClients[0])
        : (Server.Client, Server.Client);

    private static DateTimeOffset TimeOf(System.Text.Json.Nodes.JsonNode? text) =>
        DateTimeOffset.Parse((string)text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

public sealed class PickTimeTestsOnSqlite() : PickTimeTests(StoreKind.Sqlite);

public sealed class PickTimeTestsOnPostgres() : PickTimeTests(StoreKind.Postgres);

public sealed class PickTimeTestsOnThreeInstances() : PickTimeTests(StoreKind.ThreePostgresInstances);
