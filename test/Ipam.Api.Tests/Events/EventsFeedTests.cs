using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Events;

/// <summary><c>GET /v1/events</c>: every kind of committed change, with its fields, once each and in commit order.</summary>
public abstract class EventsFeedTests(ApiFixture api) : EventsTestBase(api)
{
    [Fact]
    public async Task Events_AllocateAndRelease_ListsEachChangeWithItsFields()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.0.0/24");
        await Api.AllocateAsync(id, new { ip_address = "10.80.0.9", owner = "vm-1", description = "web" });
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.80.0.9"), HttpStatusCode.NoContent);

        var events = await EventsAsync(tenant);

        Assert.Equal(["subnet.created", "allocation.created", "allocation.released"], Types(events));
        Assert.All(events, e =>
        {
            Assert.Equal(tenant, (string?)e["tenant_id"]);
            Assert.Equal(id, (string?)e["subnet_id"]);
            Assert.Equal("anonymous", (string?)e["actor"]);
            var at = (string)e["at"]!;
            Assert.EndsWith("Z", at, StringComparison.Ordinal);
            Assert.InRange(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        });
        Assert.True(Position(events[0]) < Position(events[1]) && Position(events[1]) < Position(events[2]));

        var created = events[0];
        Assert.Null(created["before"]);
        Assert.Equal("10.80.0.0/24", (string?)created["after"]!["cidr"]);
        Assert.Equal(id, (string?)created["after"]!["id"]);
        Assert.Null(created["ip_address"]);

        var allocated = events[1];
        Assert.Equal("10.80.0.9", (string?)allocated["ip_address"]);
        Assert.Equal("10.80.0.0/24", (string?)allocated["cidr"]);
        Assert.Null(allocated["before"]);
        Assert.IsType<JsonObject>(allocated["after"]);
        Assert.Equal("vm-1", (string?)allocated["after"]!["owner"]);
        Assert.Equal("web", (string?)allocated["after"]!["description"]);
        Assert.Null(allocated["reason"]);

        var released = events[2];
        Assert.Equal("10.80.0.9", (string?)released["ip_address"]);
        Assert.Equal("released", (string?)released["reason"]);
        Assert.Equal("vm-1", (string?)released["before"]!["owner"]);
        Assert.Null(released["after"]);
    }

    [Fact]
    public async Task Events_ReservationRunsOut_ListsExpiredBySystem()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.1.0/30");
        var expires = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture);
        await Api.AllocateAsync(id, new { owner = "lease", expires_at = expires });
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        // The only pool address: taking it again releases the expired reservation first.
        await Api.AllocateAsync(id, new { owner = "next-holder" });

        var events = await EventsAsync(tenant);
        Assert.Equal(["subnet.created", "allocation.created", "allocation.expired", "allocation.created"], Types(events));
        var expired = events[2];
        Assert.Equal("system", (string?)expired["actor"]);
        Assert.Equal("expired", (string?)expired["reason"]);
        Assert.Equal("10.80.1.2", (string?)expired["ip_address"]);
        Assert.Equal("lease", (string?)expired["before"]!["owner"]);
        Assert.Equal("next-holder", (string?)events[3]["after"]!["owner"]);
    }

    [Fact]
    public async Task Events_SubnetUpdatedThenForceDeleted_ListsReleasesWithSubnetDeletedReason()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.2.0/24");
        AssertStatus(await Api.PatchAsync($"/v1/subnets/{id}", new { name = "renamed" }), HttpStatusCode.OK);
        await Api.AllocateAsync(id, new { ip_address = "10.80.2.10" });
        await Api.AllocateAsync(id, new { ip_address = "10.80.2.11" });
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        var events = await EventsAsync(tenant);

        Assert.Equal(["subnet.created", "subnet.updated", "allocation.created", "allocation.created"], Types(events.Take(4)));
        var updated = events[1];
        Assert.Null((string?)updated["before"]!["name"]);
        Assert.Equal("renamed", (string?)updated["after"]!["name"]);
        var deletion = events.Skip(4).ToList();
        Assert.Equal(3, deletion.Count);
        var releases = deletion.Where(e => (string?)e["type"] == "allocation.released").ToList();
        Assert.Equal(["10.80.2.10", "10.80.2.11"], releases.Select(e => (string)e["ip_address"]!).Order());
        Assert.All(releases, e => Assert.Equal("subnet-deleted", (string?)e["reason"]));
        var deleted = Assert.Single(deletion, e => (string?)e["type"] == "subnet.deleted");
        Assert.Equal("renamed", (string?)deleted["before"]!["name"]);
        Assert.Null(deleted["after"]);
        Assert.Equal(id, (string?)deleted["subnet_id"]);
    }

    [Fact]
    public async Task Events_Creations_AtTheCreatedTimeTheResourceShows()
    {
        var tenant = NewTenant();
        var scope = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/address-scopes", new { name = "scope", ip_version = 4, tenant_id = tenant }), 201);
        var pool = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnet-pools", new
        {
            name = "pool",
            prefixes = new[] { "10.82.0.0/16" },
            default_prefixlen = 24,
            tenant_id = tenant,
        }), 201);
        var subnet = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnets", new { cidr = "10.83.0.0/24", tenant_id = tenant }), 201);
        var fromPool = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnets", new { subnet_pool_id = Id(pool), tenant_id = tenant }), 201);

        var events = await EventsAsync(tenant);

        Assert.Equal(["address-scope.created", "subnet-pool.created", "subnet.created", "subnet.created"], Types(events));
        Assert.Equal(
            [scope["created_at"], pool["created_at"], subnet["created_at"], fromPool["created_at"]],
            events.Select(e => e["at"]).ToList(),
            (a, b) => DateTimeOffset.Parse((string)a!, CultureInfo.InvariantCulture) == DateTimeOffset.Parse((string)b!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Events_SubnetPoolAndScopeChanges_ListedWithResourceIds()
    {
        var tenant = NewTenant();
        var scope = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/address-scopes", new { name = "scope", ip_version = 4, tenant_id = tenant }), 201);
        var pool = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnet-pools", new
        {
            name = "pool",
            prefixes = new[] { "10.81.0.0/16" },
            default_prefixlen = 24,
            address_scope_id = Id(scope),
            tenant_id = tenant,
        }), 201);
        AssertStatus(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { name = "pool-2" }), HttpStatusCode.OK);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), HttpStatusCode.NoContent);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/address-scopes/{Id(scope)}"), HttpStatusCode.NoContent);

        var events = await EventsAsync(tenant);

        Assert.Equal(
            ["address-scope.created", "subnet-pool.created", "subnet-pool.updated", "subnet-pool.deleted", "address-scope.deleted"],
            Types(events));
        Assert.Equal([Id(scope), Id(pool), Id(pool), Id(pool), Id(scope)], events.Select(e => (string)e["resource_id"]!));
        Assert.All(events, e => Assert.Null(e["subnet_id"]));
        Assert.Equal("pool", (string?)events[2]["before"]!["name"]);
        Assert.Equal("pool-2", (string?)events[2]["after"]!["name"]);
        Assert.Equal(["10.81.0.0/16"], events[1]["after"]!["prefixes"]!.AsArray().Select(p => (string)p!));
        Assert.Equal("scope", (string?)events[4]["before"]!["name"]);
        Assert.Null(events[4]["after"]);
    }

    [Fact]
    public async Task Events_PagedByCursor_SeesEveryEventOnceInOrder()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.3.0/24");
        await IpamServer.ExpectAsync(await Api.PostAsync($"/v1/subnets/{id}/allocations", new { count = 20 }), 201);
        for (var i = 0; i < 5; i++)
        {
            await Api.AllocateAsync(id, new { strategy = "next" });
        }

        var whole = await EventsAsync(tenant);
        var paged = await EventsAsync(tenant, limit: 7);

        Assert.Equal(26, whole.Count);
        Assert.Equal(whole.Select(e => e.ToJsonString()), paged.Select(e => e.ToJsonString()));
        var positions = paged.Select(Position).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.Equal(25, paged.Select(e => (string?)e["ip_address"]).OfType<string>().Distinct().Count());
    }

    [Fact]
    public async Task Events_FailedAndReplayedRequests_LeaveNoEvent()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.4.0/29");
        var before = await EventsAsync(tenant);

        // Requests that fail, many of them in the same group commit as ones that succeed.
        var addresses = V4Range("10.80.4", 2, 6);
        var attempts = addresses.SelectMany(a => Enumerable.Repeat(a, 4))
            .Select(a => Api.PostAsync($"/v1/subnets/{id}/allocations", new { ip_address = a }))
            .ToList();
        var responses = await Task.WhenAll(attempts);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await ProblemAsync(await Api.PostAsync($"/v1/subnets/{id}/allocations", new { count = 3 }), 409, "pool-exhausted");
        await ValidationProblemAsync(await Api.PatchAsync($"/v1/subnets/{id}", new { allocation_pools = new[] { new { start = "10.80.5.1", end = "10.80.5.2" } } }), "invalid-allocation-pools");
        Assert.False((await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.80.4.7")).IsSuccessStatusCode);

        // A retried request with the same Idempotency-Key answers the first result and changes nothing again.
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.80.4.6"), HttpStatusCode.NoContent);
        AssertStatus(await Api.AllocateWithKeyAsync(id, "retry-1", new { owner = "once" }), HttpStatusCode.Created);
        AssertStatus(await Api.AllocateWithKeyAsync(id, "retry-1", new { owner = "once" }), HttpStatusCode.Created);

        var events = (await EventsAsync(tenant)).Skip(before.Count).ToList();
        Assert.Equal([.. Enumerable.Repeat("allocation.created", 5), "allocation.released", "allocation.created"], Types(events));
        Assert.Equal(addresses, events.Take(5).Select(e => (string)e["ip_address"]!).Order());
    }

    [Fact]
    public async Task Events_TenantFilter_SeesOnlyThatTenant()
    {
        var mine = NewTenant();
        var theirs = NewTenant();
        var start = await EndCursorAsync();
        var myId = await SubnetAsync(mine, "10.80.6.0/24");
        var theirId = await SubnetAsync(theirs, "10.80.7.0/24");
        await Api.AllocateAsync(theirId);
        await Api.AllocateAsync(myId);

        var everyone = await FollowAsync(Api.Server, "", 1000, start);
        var events = await EventsAsync(mine, after: start);

        Assert.Equal(4, everyone.Count);
        Assert.Equal(["subnet.created", "allocation.created"], Types(events));
        Assert.All(events, e => Assert.Equal(myId, (string?)e["subnet_id"]));
    }

    [Fact]
    public async Task Events_Tail_StartsThatManyBeforeTheEnd()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.8.0/24");
        await Api.AllocateAsync(id, new { ip_address = "10.80.8.20" });
        await Api.AllocateAsync(id, new { ip_address = "10.80.8.21" });

        var page = await Api.GetJsonAsync("/v1/events?tail=2");

        Assert.Equal(["10.80.8.20", "10.80.8.21"], page["items"]!.AsArray().Select(e => (string)e!["ip_address"]!));
        Assert.Equal((string?)page["items"]![1]!["id"], (string?)page["next"]);
    }

    /// <summary>With a tenant named, tail counts that tenant's events: those the page shows.</summary>
    [Fact]
    public async Task Events_TailWithATenant_CountsThatTenantsEvents()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.80.9.0/24");
        var allocated = await Api.AllocateAsync(id, new { ip_address = "10.80.9.20" });
        await Api.AllocateAsync(await SubnetAsync(NewTenant(), "10.80.10.0/24"));

        var page = await Api.GetJsonAsync($"/v1/events?tail=2&tenant_id={tenant}");

        Assert.Equal(["subnet.created", "allocation.created"], Types(page["items"]!.AsArray().Select(i => i!.AsObject())));
        Assert.Equal((string?)allocated["ip_address"], (string?)page["items"]![1]!["ip_address"]);
        Assert.Equal((string?)page["items"]![1]!["id"], (string?)page["next"]);
    }

    [Theory]
    [InlineData("after=abc", "after")]
    [InlineData("after=-1", "after")]
    [InlineData("after=1.5", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("wait=-1", "wait")]
    [InlineData("wait=61", "wait")]
    [InlineData("wait=soon", "wait")]
    [InlineData("tail=0", "tail")]
    [InlineData("tail=1001", "tail")]
    [InlineData("tail=5&after=3", "tail")]
    public async Task Events_BadParameter_Returns400NamingIt(string query, string field)
    {
        var problem = await ValidationProblemAsync(await Api.Client.GetAsync($"/v1/events?{query}"));

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Events_CursorPastTheEndOfTheLog_Returns400SayingWhereTheEndIs()
    {
        var end = long.Parse((string)(await Api.GetJsonAsync("/v1/events?tail=1"))["next"]!, CultureInfo.InvariantCulture);

        var problem = await ValidationProblemAsync(await Api.Client.GetAsync($"/v1/events?after={end + 1000}&wait=1"));
        using var stream = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
        stream.Headers.Accept.ParseAdd("text/event-stream");
        stream.Headers.Add("Last-Event-ID", (end + 1000).ToString(CultureInfo.InvariantCulture));
        var streamProblem = await ValidationProblemAsync(await Api.Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead));

        var message = (string?)problem["errors"]!["after"]![0];
        Assert.Contains("past the end of the change log", message, StringComparison.Ordinal);
        Assert.Matches(@"Follow again from \d+, or from the start\.", message);
        Assert.NotNull(streamProblem["errors"]!["Last-Event-ID"]);
        var atEnd = await Api.GetJsonAsync($"/v1/events?after={end}");
        Assert.NotNull(atEnd["items"]);
    }

    [Fact]
    public async Task Events_BadLastEventId_Returns400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
        request.Headers.Add("Last-Event-ID", "not-a-cursor");

        var problem = await ValidationProblemAsync(await Api.Client.SendAsync(request));

        Assert.NotNull(problem["errors"]!["Last-Event-ID"]);
    }
}

public sealed class EventsFeedTestsOnSqlite(SqliteApiFixture api) : EventsFeedTests(api), IClassFixture<SqliteApiFixture>;

public sealed class EventsFeedTestsOnPostgres(PostgresApiFixture api) : EventsFeedTests(api), IClassFixture<PostgresApiFixture>;
