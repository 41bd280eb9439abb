using System.Globalization;
using Ipam.Allocations;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;
using static Ipam.Api.Tests.Instances.InstanceRequests;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Three instances on one database: an address released or expired through one instance is what the next
/// request on every other instance finds, though each of them already held an index of the subnet.
/// </summary>
public sealed class ReleaseAcrossInstancesTests
{
    [Fact]
    public async Task Release_OnOneInstance_NextOnTheOthersReturnsTheLowestReleased()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b, c) = (server.InstanceClients[0], server.InstanceClients[1], server.InstanceClients[2]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.80.0.0/24" }));
        var got = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            got.Add(await NextAsync(server.InstanceClients[i % 3], id));
        }

        Assert.Equal(V4Range("10.80.0", 2, 10), got);

        await ReleaseAsync(a, id, "10.80.0.6");
        Assert.Equal("10.80.0.6", await NextAsync(b, id));

        await ReleaseAsync(c, id, "10.80.0.3");
        await ReleaseAsync(b, id, "10.80.0.4");
        Assert.Equal("10.80.0.3", await NextAsync(a, id));
        Assert.Equal("10.80.0.4", await NextAsync(a, id));
        Assert.Equal("10.80.0.11", await NextAsync(c, id));
        foreach (var instance in server.InstanceClients)
        {
            Assert.Equal("10", Usage(await IpamServer.ExpectAsync(await instance.GetAsync($"/v1/subnets/{id}"), 200), "allocated"));
        }
    }

    /// <summary>
    /// An instance that has seen every allocation picks its next address before it reads the log, and sends the
    /// read with the insert: a release the read brings makes it undo that insert and take the released address.
    /// </summary>
    [Fact]
    public async Task Release_OnAnotherInstance_NextOnAnUpToDateInstanceUndoesItsEarlyPick()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b) = (server.InstanceClients[0], server.InstanceClients[1]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.80.3.0/24" }));
        Assert.Equal("10.80.3.2", await NextAsync(a, id));
        Assert.Equal("10.80.3.3", await NextAsync(b, id));
        Assert.Equal("10.80.3.4", await NextAsync(b, id));

        await ReleaseAsync(a, id, "10.80.3.2");
        Assert.Equal("10.80.3.2", await NextAsync(b, id));
        Assert.Equal("10.80.3.5", await NextAsync(b, id));
        Assert.Equal("4", Usage(await IpamServer.ExpectAsync(await b.GetAsync($"/v1/subnets/{id}"), 200), "allocated"));
    }

    [Fact]
    public async Task Release_OnFullSubnet_AnotherInstanceAllocatesInsteadOfAnsweringExhausted()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b, c) = (server.InstanceClients[0], server.InstanceClients[1], server.InstanceClients[2]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.80.1.0/29" }));
        await AllocateAsync(a, id, new { count = 5 });
        foreach (var instance in server.InstanceClients)
        {
            await ExhaustedAsync(instance, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        }

        await ReleaseAsync(a, id, "10.80.1.4");
        Assert.Equal("10.80.1.4", Ip(await AllocateAsync(b, id, new { })));
        await ExhaustedAsync(c, id, new { strategy = "next" }, requested: 1, free: 0, poolSize: 5, allocated: 5);

        await ReleaseAsync(c, id, "10.80.1.2");
        Assert.Equal("10.80.1.2", await NextAsync(a, id));
        await ExhaustedAsync(b, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);

        await ReleaseAsync(b, id, "10.80.1.6");
        await ReleaseAsync(c, id, "10.80.1.5");
        var both = (await AllocateAsync(a, id, new { count = 2 }))["items"]!.AsArray().Select(i => Ip(i!.AsObject()));
        Assert.Equal(["10.80.1.5", "10.80.1.6"], both.OrderBy(V4));
        await ExhaustedAsync(c, id, new { count = 1 }, requested: 1, free: 0, poolSize: 5, allocated: 5);
    }

    [Fact]
    public async Task Expiry_SweptOrReclaimedByOneInstance_TheOthersSeeTheAddressFree()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await IpamServer.StartAsync(time: clock, durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var (a, b, c) = (server.InstanceClients[0], server.InstanceClients[1], server.InstanceClients[2]);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.80.2.0/29" }));
        await AllocateAsync(a, id, new { count = 4, strategy = "next" });
        Assert.Equal("10.80.2.6", Ip(await AllocateAsync(b, id, new { strategy = "next", expires_at = InAMinute(clock) })));
        foreach (var instance in server.InstanceClients)
        {
            await ExhaustedAsync(instance, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        }

        // The sweep of instance A ends the reservation; B and C learn it only from the change log.
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await server.InstanceServices[0].GetRequiredService<AllocationService>().ReleaseExpiredAsync());
        Assert.Equal("10.80.2.6", await NextAsync(b, id));
        await ExhaustedAsync(c, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);

        // A full subnet's expired reservation is reclaimed by the instance that needs it (C); A and B see it taken again.
        await ReleaseAsync(b, id, "10.80.2.3");
        Assert.Equal("10.80.2.3", Ip(await AllocateAsync(a, id, new { strategy = "next", expires_at = InAMinute(clock) })));
        clock.Advance(TimeSpan.FromSeconds(61));
        var reclaimed = await AllocateAsync(c, id, new { owner = "reclaimed" });
        Assert.Equal(("10.80.2.3", "reclaimed"), (Ip(reclaimed), (string?)reclaimed["owner"]));
        await ExhaustedAsync(a, id, new { strategy = "next" }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        await ExhaustedAsync(b, id, new { }, requested: 1, free: 0, poolSize: 5, allocated: 5);
        await ReleaseAsync(c, id, "10.80.2.3");
        Assert.Equal("10.80.2.3", await NextAsync(b, id));
    }

    private static string InAMinute(ManualClock clock) => clock.GetUtcNow().AddMinutes(1).ToString("O", CultureInfo.InvariantCulture);
}
