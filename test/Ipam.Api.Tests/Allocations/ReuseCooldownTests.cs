using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// A subnet's reuse cooldown: <c>random</c> and <c>next</c> never return an address released less than that
/// long ago, a specific request still gets it, and <c>pool-exhausted</c> says how many are cooling down.
/// </summary>
public abstract class ReuseCooldownTests(StoreKind store) : ServerOnClockTests<ManualClock>(store, new ManualClock(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero)))
{
    [Fact]
    public async Task Next_SkipsAnAddressReleasedWithinTheCooldown_UntilItEnds()
    {
        var id = await CreateAsync("10.160.0.0/28", 60);
        Assert.Equal("10.160.0.2", await NextAsync(id));
        Assert.Equal("10.160.0.3", await NextAsync(id));
        await ReleaseAsync(id, "10.160.0.2");

        Assert.Equal("10.160.0.4", await NextAsync(id));
        Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("10.160.0.5", await NextAsync(id));
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("10.160.0.2", await NextAsync(id));
    }

    [Fact]
    public async Task FullSubnet_WithACoolingAddress_PoolExhaustedSaysSo_SpecificRequestStillGetsIt()
    {
        // A /29 with the gateway at .1 has five pool addresses, .2 to .6.
        var id = await CreateAsync("10.161.0.0/29", 300);
        for (var i = 0; i < 5; i++)
        {
            await NextAsync(id);
        }

        await ReleaseAsync(id, "10.161.0.4");
        var problem = await IpamServer.ExpectProblemAsync(await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "random" }), 409, "pool-exhausted");
        Assert.Equal(0, (int)problem["free"]!);
        Assert.Equal(1, (int)problem["cooling_down"]!);
        Assert.Equal(4, (int)problem["allocated"]!);
        Assert.Equal("cooling-down", (string?)problem["reason"]);

        var specific = await Server.AllocateAsync(id, new { ip_address = "10.161.0.4" });
        Assert.Equal("10.161.0.4", (string?)specific["ip_address"]);
        var full = await IpamServer.ExpectProblemAsync(await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
        Assert.Equal(0, (int)full["cooling_down"]!);
        Assert.Equal("all-allocated", (string?)full["reason"]);
    }

    [Fact]
    public async Task AReleaseOutsideThePools_IsNotCounted_AsCoolingDown()
    {
        var subnet = await Server.CreateSubnetAsync(new
        {
            cidr = "10.165.0.0/28",
            allocation_pools = new[] { new { start = "10.165.0.2", end = "10.165.0.5" } },
            reuse_cooldown_seconds = 100,
        });
        var id = (string)subnet["id"]!;
        await Server.AllocateAsync(id, new { ip_address = "10.165.0.9" });
        await Server.AllocateAsync(id, new { ip_address = "10.165.0.10" });
        await Server.AllocateAsync(id, new { count = 4, strategy = "next" });
        await ReleaseAsync(id, "10.165.0.9");
        await ReleaseAsync(id, "10.165.0.10");

        // Every instance (requests go round-robin over three) answers from the same state.
        for (var i = 0; i < 3; i++)
        {
            var problem = await IpamServer.ExpectProblemAsync(
                await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "next" }), 409, "pool-exhausted");
            Assert.Equal("all-allocated", (string?)problem["reason"]);
            Assert.Equal(4, (int)problem["allocated"]!);
            Assert.Equal(0, (int)problem["free"]!);
            Assert.Equal(0, (int)problem["cooling_down"]!);
        }

        Clock.Advance(TimeSpan.FromSeconds(101));
        await IpamServer.ExpectProblemAsync(await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "next" }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Cooldown_SurvivesARestartOfTheIndex_AndPatchToZeroEndsIt()
    {
        var id = await CreateAsync("10.162.0.0/29", 600);
        for (var i = 0; i < 5; i++)
        {
            await NextAsync(id);
        }

        await ReleaseAsync(id, "10.162.0.3");
        // Any change to the subnet makes every instance rebuild its index from the database and the log.
        await IpamServer.ExpectAsync(await Server.Client.PatchAsJsonAsync($"/v1/subnets/{id}", new { name = "renamed" }), 200);
        await IpamServer.ExpectProblemAsync(await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "next" }), 409, "pool-exhausted");

        var patched = await IpamServer.ExpectAsync(await Server.Client.PatchAsJsonAsync($"/v1/subnets/{id}", new { reuse_cooldown_seconds = 0 }), 200);
        Assert.Equal(0, (int)patched["reuse_cooldown_seconds"]!);
        Assert.Equal("10.162.0.3", await NextAsync(id));
    }

    /// <summary>
    /// A subnet created again under the id of a deleted one holds back only its own releases: those of the earlier
    /// subnet (a release, and the ends of a forced delete) are not its own, on every instance.
    /// </summary>
    [Fact]
    public async Task Cooldown_SubnetCreatedAgainUnderItsId_HoldsBackOnlyItsOwnReleases()
    {
        var id = Guid.NewGuid().ToString();
        await Server.CreateSubnetAsync(new { id, cidr = "10.166.0.0/29", reuse_cooldown_seconds = 600 });
        Assert.Equal("10.166.0.2", await NextAsync(id));
        Assert.Equal("10.166.0.3", await NextAsync(id));
        await ReleaseAsync(id, "10.166.0.2");
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/v1/subnets/{id}?force=true")).StatusCode);

        await Server.CreateSubnetAsync(new { id, cidr = "10.166.0.0/29", reuse_cooldown_seconds = 600 });

        // Every instance (requests go round-robin over three) builds the new subnet's index from the log.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("10.166.0.2", await NextAsync(id));
            await ReleaseAsync(id, "10.166.0.2");
            var problem = await IpamServer.ExpectProblemAsync(
                await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 5, strategy = "next" }), 409, "pool-exhausted");
            Assert.Equal(1, (int)problem["cooling_down"]!);
            Assert.Equal(4, (int)problem["free"]!);
            Clock.Advance(TimeSpan.FromSeconds(601));
        }
    }

    [Fact]
    public async Task BulkRequest_SomeAddressesCooling_PoolExhaustedDetailIsOneSentence()
    {
        // A /29 with the gateway at .1 has five pool addresses, .2 to .6: two allocated, one cooling, two free.
        var id = await CreateAsync("10.167.0.0/29", 300);
        for (var i = 0; i < 3; i++)
        {
            await NextAsync(id);
        }

        await ReleaseAsync(id, "10.167.0.2");
        var problem = await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 3 }), 409, "pool-exhausted");

        Assert.Equal(
            "3 addresses were requested (all or nothing), but only 2 of the 5 pool addresses are free; " +
            "1 more was released recently and is held back by the subnet's reuse cooldown until 2030-05-06T07:13:09.000Z.",
            (string?)problem["detail"]);
    }

    [Fact]
    public async Task FullSubnet_PoolExhaustedSaysWhenTheFirstCoolingAddressIsFreeAgain()
    {
        // A /29 with the gateway at .1 has five pool addresses, .2 to .6; the clock starts at 07:08:09.
        var id = await CreateAsync("10.169.0.0/29", 300);
        for (var i = 0; i < 5; i++)
        {
            await NextAsync(id);
        }

        var full = await RefusedAsync(id);
        Assert.Equal("all-allocated", (string?)full["reason"]);
        Assert.False(full.ContainsKey("cooling_ends_at"));

        await ReleaseAsync(id, "10.169.0.5");
        Clock.Advance(TimeSpan.FromSeconds(10.0005));
        await ReleaseAsync(id, "10.169.0.3");
        var problem = await RefusedAsync(id);
        Assert.Equal(2, (int)problem["cooling_down"]!);
        Assert.Equal("2030-05-06T07:13:09.000Z", (string?)problem["cooling_ends_at"]);
        Assert.EndsWith("none of the 5 pool addresses is free; 2 were released recently and are held back by the subnet's reuse cooldown, the first until 2030-05-06T07:13:09.000Z.",
            (string?)problem["detail"]);

        Clock.Advance(TimeSpan.FromSeconds(291));
        Assert.Equal("10.169.0.5", await NextAsync(id));
        var later = await RefusedAsync(id);
        Assert.Equal(1, (int)later["cooling_down"]!);
        // Released at 07:08:19.0005: the time given is never before the address is free.
        Assert.Equal("2030-05-06T07:13:19.001Z", (string?)later["cooling_ends_at"]);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> RefusedAsync(string id) =>
        await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "next" }), 409, "pool-exhausted");

    [Fact]
    public async Task Request_NothingFreeButCooling_PoolExhaustedDetailSaysNoneIsFree()
    {
        // A /30 has one pool address, .2; a /29 five, .2 to .6.
        var one = await CreateAsync("10.168.0.0/30", 300);
        await NextAsync(one);
        await ReleaseAsync(one, "10.168.0.2");
        var five = await CreateAsync("10.168.1.0/29", 300);
        for (var i = 0; i < 5; i++)
        {
            await NextAsync(five);
        }

        await ReleaseAsync(five, "10.168.1.2");
        await ReleaseAsync(five, "10.168.1.3");

        var lonely = await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync($"/v1/subnets/{one}/allocations", new { }), 409, "pool-exhausted");
        var full = await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync($"/v1/subnets/{five}/allocations", new { count = 2 }), 409, "pool-exhausted");

        Assert.Equal(
            "1 address was requested, but the one pool address is not free; " +
            "1 was released recently and is held back by the subnet's reuse cooldown until 2030-05-06T07:13:09.000Z.",
            (string?)lonely["detail"]);
        Assert.Equal(
            "2 addresses were requested (all or nothing), but none of the 5 pool addresses is free; " +
            "2 were released recently and are held back by the subnet's reuse cooldown, the first until 2030-05-06T07:13:09.000Z.",
            (string?)full["detail"]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30 * 24 * 3600 + 1)]
    public async Task Cooldown_OutOfRange_Rejected(int seconds)
    {
        await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.163.0.0/24", reuse_cooldown_seconds = seconds }), 400, "invalid-request");
        var id = await CreateAsync("10.164.0.0/24", 5);
        var problem = await IpamServer.ExpectProblemAsync(
            await Server.Client.PatchAsJsonAsync($"/v1/subnets/{id}", new { reuse_cooldown_seconds = seconds }), 400, "invalid-request");
        Assert.NotNull(problem["errors"]!["reuse_cooldown_seconds"]);
        Assert.Equal(5, (int)(await Server.GetJsonAsync($"/v1/subnets/{id}"))["reuse_cooldown_seconds"]!);
    }

    private async Task<string> CreateAsync(string cidr, int cooldown)
    {
        var subnet = await Server.CreateSubnetAsync(new { cidr, reuse_cooldown_seconds = cooldown });
        Assert.Equal(cooldown, (int)subnet["reuse_cooldown_seconds"]!);
        return (string)subnet["id"]!;
    }

    private async Task<string> NextAsync(string id) => (string)(await Server.AllocateAsync(id, new { strategy = "next" }))["ip_address"]!;

    private async Task ReleaseAsync(string id, string address) =>
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{address}")).StatusCode);
}

public sealed class ReuseCooldownTestsOnSqlite() : ReuseCooldownTests(StoreKind.Sqlite);

public sealed class ReuseCooldownTestsOnPostgres() : ReuseCooldownTests(StoreKind.Postgres);

public sealed class ReuseCooldownTestsOnThreeInstances() : ReuseCooldownTests(StoreKind.ThreePostgresInstances);
