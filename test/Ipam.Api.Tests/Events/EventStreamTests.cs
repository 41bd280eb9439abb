using System.Diagnostics;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Events;

/// <summary><c>Accept: text/event-stream</c>: the feed as server-sent events, resumable from <c>Last-Event-ID</c>.</summary>
public abstract class EventStreamTests(ApiFixture api) : EventsTestBase(api)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stream_ChangesCommit_DeliveredAsTheyHappen()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.83.0.0/24");
        var clock = Stopwatch.StartNew();
        await using var stream = await EventStreamClient.OpenAsync(Api.Client, $"/v1/events?after={await EndCursorAsync()}&tenant_id={tenant}");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the headers took {clock.Elapsed}");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        await Api.AllocateAsync(id, new { ip_address = "10.83.0.7" });
        await Api.AllocateAsync(id, new { ip_address = "10.83.0.8" });
        var items = await stream.TakeAsync(2, Soon);

        Assert.Equal(["allocation.created", "allocation.created"], items.Select(i => i.EventType));
        var data = items.Select(i => JsonNode.Parse(i.Data)!.AsObject()).ToList();
        Assert.Equal(["10.83.0.7", "10.83.0.8"], data.Select(d => (string)d["ip_address"]!));
        Assert.Equal(items.Select(i => i.EventId), data.Select(d => (string?)d["id"]));
        Assert.Equal(tenant, (string?)data[0]["tenant_id"]);
        Assert.IsType<JsonObject>(data[0]["after"]);
    }

    [Fact]
    public async Task Stream_FromTheStart_MatchesThePagedFeed()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.83.1.0/24");
        await Api.AllocateAsync(id);
        var paged = await EventsAsync(tenant);

        await using var stream = await EventStreamClient.OpenAsync(Api.Client, $"/v1/events?tenant_id={tenant}&limit=1");
        var items = await stream.TakeAsync(paged.Count, Soon);

        Assert.Equal(paged.Select(e => e.ToJsonString()), items.Select(i => JsonNode.Parse(i.Data)!.ToJsonString()));
    }

    [Fact]
    public async Task Stream_Reconnected_ResumesAfterLastEventId()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.83.2.0/24");
        var path = $"/v1/events?after={await EndCursorAsync()}&tenant_id={tenant}";
        string last;
        await using (var stream = await EventStreamClient.OpenAsync(Api.Client, path))
        {
            foreach (var ip in new[] { "10.83.2.1", "10.83.2.2", "10.83.2.3" })
            {
                await Api.AllocateAsync(id, new { ip_address = ip, allow_gateway = true });
            }

            last = (await stream.TakeAsync(3, Soon))[^1].EventId!;
        }

        await Api.AllocateAsync(id, new { ip_address = "10.83.2.4" });
        await Api.AllocateAsync(id, new { ip_address = "10.83.2.5" });
        await using var resumed = await EventStreamClient.OpenAsync(Api.Client, path, lastEventId: last);
        var items = await resumed.TakeAsync(2, Soon);

        Assert.Equal(["10.83.2.4", "10.83.2.5"], items.Select(i => (string)JsonNode.Parse(i.Data)!["ip_address"]!));
        Assert.True(long.Parse(items[0].EventId!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class EventStreamTestsOnSqlite(SqliteApiFixture api) : EventStreamTests(api), IClassFixture<SqliteApiFixture>;

public sealed class EventStreamTestsOnPostgres(PostgresApiFixture api) : EventStreamTests(api), IClassFixture<PostgresApiFixture>;
