using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ipam.Api.Events;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Storage;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipam.Api.Tests.Events;

/// <summary>
/// A cursor older than the change log's retention: some change after it was pruned before it was read, so the feed
/// answers 410 <c>cursor-expired</c> instead of going on from the oldest change kept as if nothing had been missed.
/// Pages, long-polls and streams alike; a tenant's sealed cursor is measured against that tenant's own pruned changes.
/// The first instance prunes; with three instances, requests go to each in turn and every one answers the same.
/// </summary>
public abstract class EventsCursorExpiredTests(StoreKind store) : ServerOnClockTests<ManualClock>(store, new ManualClock(new DateTimeOffset(2030, 7, 1, 0, 0, 0, TimeSpan.Zero)))
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(5);

    [Fact]
    public async Task Page_CursorBeforeWhatWasPruned_Is410WithTheCursor()
    {
        var log = await OldAndNewChangesAsync("10.190.0.0/24");

        foreach (var _ in Server.InstanceClients)
        {
            var problem = await IpamServer.ExpectProblemAsync(await Server.Client.GetAsync($"/v1/events?after={log.Old[1]}"), 410, "cursor-expired");
            Assert.Equal(log.Old[1], (string?)problem["after"]);
            var detail = (string)problem["detail"]!;
            Assert.Contains("retention", detail, StringComparison.Ordinal);
            Assert.Contains("after=0", detail, StringComparison.Ordinal);
            Assert.Contains("tail", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LongPoll_CursorBeforeWhatWasPruned_Is410()
    {
        var log = await OldAndNewChangesAsync("10.191.0.0/24");

        await IpamServer.ExpectProblemAsync(await Server.Client.GetAsync($"/v1/events?after={log.Old[0]}&wait=5"), 410, "cursor-expired");
    }

    [Fact]
    public async Task CursorAtOrAfterWhatWasPruned_AfterZero_AndTail_Are200()
    {
        var log = await OldAndNewChangesAsync("10.192.0.0/24");

        foreach (var path in new[] { $"/v1/events?after={log.Old[^1]}", "/v1/events?after=0", "/v1/events", "/v1/events?tail=1000" })
        {
            var page = await Server.GetJsonAsync(path);
            Assert.Equal(log.New, page["items"]!.AsArray().Select(i => (string)i!["id"]!).Where(log.New.Contains));
        }
    }

    [Fact]
    public async Task Stream_LastEventIdBeforeWhatWasPruned_Is410BeforeAnyEvent()
    {
        var log = await OldAndNewChangesAsync("10.193.0.0/24");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", log.Old[1]);

        using var response = await Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        // Before the body is read: a stream that started would never end.
        Assert.Equal(410, (int)response.StatusCode);
        var problem = await IpamServer.ExpectProblemAsync(response, 410, "cursor-expired");
        Assert.Equal(log.Old[1], (string?)problem["after"]);
        Assert.Contains("Last-Event-ID", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantSealedCursorBeforeItsOwnPrunedChanges_Is410()
    {
        var tenant = await Server.ClientAsync(CallerRole.Member, "tenant-old");
        var log = await OldAndNewChangesAsync("10.194.0.0/24", tenant);

        var problem = await IpamServer.ExpectProblemAsync(await tenant.GetAsync($"/v1/events?after={log.Old[0]}"), 410, "cursor-expired");
        Assert.Equal(log.Old[0], (string?)problem["after"]);
        Assert.StartsWith("c", log.Old[0], StringComparison.Ordinal);
        Assert.Equal(200, (int)(await tenant.GetAsync($"/v1/events?after={log.Old[^1]}")).StatusCode);
    }

    [Fact]
    public async Task TenantSealedCursorPastTheEnd_Is400WithoutThePositionItSeals()
    {
        // Only a database put back to an older copy gives a tenant such a cursor; its detail must not open the seal.
        var tenant = await Server.ClientAsync(CallerRole.Member, "tenant-restored");
        var end = long.Parse((string)(await Server.GetJsonAsync("/v1/events?tail=1"))["next"]!, CultureInfo.InvariantCulture);
        var beyond = end + 1_000;
        var caller = new FixedCaller("tenant-restored");
        var cursor = (await Server.Services.GetRequiredService<EventCursorKeys>().ForAsync(caller, CancellationToken.None)).Of(beyond);

        var problem = await IpamServer.ExpectProblemAsync(await tenant.GetAsync($"/v1/events?after={cursor}"), 400, "invalid-request");

        var message = (string)problem["errors"]!["after"]![0]!;
        Assert.StartsWith("The cursor is past the end of the change log", message, StringComparison.Ordinal);
        Assert.DoesNotContain(beyond.ToString(CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.EndsWith("Follow again from its end (tail=1), or from the start.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuietTenant_OthersChangesPrunedAfterItsLast_IsNotTold()
    {
        // The quiet tenant's last change is pruned with the busy tenant's later ones; it missed none of its own.
        var quiet = await Server.ClientAsync(CallerRole.Member, "tenant-quiet");
        await IpamServer.ExpectAsync(await quiet.PostAsJsonAsync("/v1/subnets", new { cidr = "10.195.0.0/24" }), 201);
        var itsLast = (string)(await IpamServer.ExpectAsync(await quiet.GetAsync("/v1/events"), 200))["next"]!;
        await OldAndNewChangesAsync("10.196.0.0/24");

        var page = await IpamServer.ExpectAsync(await quiet.GetAsync($"/v1/events?after={itsLast}"), 200);
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(itsLast, (string?)page["next"]);
    }

    /// <summary>
    /// Four changes of a new subnet, then ten days later two more, then a round of pruning with a retention of five
    /// days: the first four are gone. Returns the cursors of both, as <paramref name="reader"/> (an admin by default)
    /// read them before the pruning.
    /// </summary>
    private async Task<(string[] Old, string[] New)> OldAndNewChangesAsync(string cidr, HttpClient? reader = null)
    {
        reader ??= Server.Client;
        var tail = (string)(await IpamServer.ExpectAsync(await reader.GetAsync("/v1/events?tail=1"), 200))["next"]!;
        var subnet = ApiFixture.Id(await IpamServer.ExpectAsync(await reader.PostAsJsonAsync("/v1/subnets", new { cidr }), 201));
        for (var i = 0; i < 3; i++)
        {
            await IpamServer.ExpectAsync(await reader.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { }), 201);
        }

        Clock.Advance(TimeSpan.FromDays(10));
        for (var i = 0; i < 2; i++)
        {
            await IpamServer.ExpectAsync(await reader.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { }), 201);
        }

        var page = await IpamServer.ExpectAsync(await reader.GetAsync($"/v1/events?after={tail}&limit=1000"), 200);
        var ids = page["items"]!.AsArray().Select(i => (string)i!["id"]!).ToArray();
        Assert.Equal(6, ids.Length);

        await PruneAsync();
        return (ids[..4], ids[4..]);
    }

    /// <summary>Folds the log into the usage counters (pruning takes only folded changes), then prunes it as the first instance would.</summary>
    private async Task PruneAsync()
    {
        var storeOfFirst = Server.Services.GetRequiredService<IIpamStore>();
        while (await storeOfFirst.ReadAsync((session, ct) => session.FindUsageFoldLagAsync(ct)) > 0)
        {
            await storeOfFirst.WriteAloneAsync((session, ct) => session.FoldUsageAsync(1_000, ct));
        }

        var pruner = new ChangeLogPruner(storeOfFirst, Clock, new IpamHostOptions { HistoryRetention = Retention }, NullLogger<ChangeLogPruner>.Instance);
        Assert.True((await pruner.PruneAsync(TestContext.Current.CancellationToken)).Deleted >= 4);
    }
}

public sealed class EventsCursorExpiredTestsOnSqlite() : EventsCursorExpiredTests(StoreKind.Sqlite);

public sealed class EventsCursorExpiredTestsOnPostgres() : EventsCursorExpiredTests(StoreKind.Postgres);

public sealed class EventsCursorExpiredTestsOnThreeInstances() : EventsCursorExpiredTests(StoreKind.ThreePostgresInstances);

/// <summary>A caller of one tenant, to seal a cursor as the feed seals that tenant's.</summary>
internal sealed record FixedCaller(string? TenantId) : ICallerContext
{
    public string Actor => "test";

    public CallerRole Role => CallerRole.Member;
}
