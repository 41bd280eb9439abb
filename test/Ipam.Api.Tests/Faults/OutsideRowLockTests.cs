using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// A subnet's row locked from outside Ipam (<see cref="OutsideRowLock"/>), on PostgreSQL. The requests for that subnet
/// wait for the lock, until their deadline; the instance's requests for every other subnet are answered meanwhile.
/// </summary>
public sealed class OutsideRowLockTests
{
    /// <summary>Only bounds a hang; never the thing tested.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private const int OtherSubnetRequests = 20;

    private const int LockedSubnetRequests = 5;

    private const string TimedOut = "The request did not complete in time; nothing was changed. Retry later.";

    [Fact]
    public async Task Allocate_AnotherSubnetsRowLockedOutside_AnsweredWhileTheLockIsHeldAndTheLockedSubnetsOnceReleased()
    {
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres);
        var (locked, other) = await TwoCachedSubnetsAsync(server, "10.95");

        List<Task<HttpResponseMessage>> waiting;
        await using (var outside = await OutsideRowLock.TakeAsync(server, locked))
        {
            waiting = [Allocate(server, locked, "waits-0")];
            await Eventually.HoldsAsync(async () => await outside.WaitingSessionsAsync() > 0, "the instance waiting for the locked row");
            waiting.AddRange(Enumerable.Range(1, LockedSubnetRequests - 1).Select(i => Allocate(server, locked, $"waits-{i}")));
            var others = Enumerable.Range(0, OtherSubnetRequests).Select(i => Allocate(server, other, $"other-{i}")).ToList();

            foreach (var answer in await Task.WhenAll(others).WaitAsync(Guard))
            {
                await IpamServer.ExpectAsync(answer, 201);
            }

            Assert.DoesNotContain(waiting, w => w.IsCompleted);
            await outside.ReleaseAsync();
        }

        foreach (var answer in await Task.WhenAll(waiting).WaitAsync(Guard))
        {
            await IpamServer.ExpectAsync(answer, 201);
        }

        Assert.Equal(1 + LockedSubnetRequests, await Database.CountAllocationsAsync(server, locked));
        Assert.Equal(1 + OtherSubnetRequests, await Database.CountAllocationsAsync(server, other));
    }

    [Fact]
    public async Task Allocate_SubnetRowLockedOutsidePastTheDeadline_DeadlineAnswerAndOnlyAcknowledgedRowsStored()
    {
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, configure: o => o with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var (locked, other) = await TwoCachedSubnetsAsync(server, "10.96");

        await using (var outside = await OutsideRowLock.TakeAsync(server, locked))
        {
            var answer = await Allocate(server, locked, "gives-up").WaitAsync(Guard);

            // What the service answers at a deadline: never a failure claimed for work that may yet commit.
            var problem = await IpamServer.ExpectProblemAsync(answer, 503, "store-unavailable");
            Assert.Contains((string?)problem["detail"], new[] { TimedOut, StoreFailures.OutcomeUnknown });
            await IpamServer.ExpectAsync(await Allocate(server, other, "other").WaitAsync(Guard), 201);

            // Nothing of the instance waits for the row any longer, so nothing of the request can commit once it is free.
            await Eventually.HoldsAsync(async () => await outside.WaitingSessionsAsync() == 0, "no session waiting for the locked row");
            await outside.ReleaseAsync();
        }

        await IpamServer.ExpectAsync(await Allocate(server, locked, "after").WaitAsync(Guard), 201);
        Assert.Equal(2, await Database.CountAllocationsAsync(server, locked));
        Assert.Equal(0, await Database.ScalarAsync(server, "SELECT count(*) FROM allocations WHERE owner = 'gives-up'"));
        Assert.Equal(2, await Database.CountAllocationsAsync(server, other));
    }

    /// <summary>Two subnets, each with one allocation, so that the instance has both cached as a running server would.</summary>
    private static async Task<(string Locked, string Other)> TwoCachedSubnetsAsync(IpamServer server, string prefix)
    {
        var locked = Id(await server.CreateSubnetAsync(new { cidr = $"{prefix}.0.0/24" }));
        var other = Id(await server.CreateSubnetAsync(new { cidr = $"{prefix}.1.0/24" }));
        await server.AllocateAsync(locked);
        await server.AllocateAsync(other);
        return (locked, other);
    }

    private static Task<HttpResponseMessage> Allocate(IpamServer server, string subnetId, string owner) =>
        server.Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { owner });
}
