using System.Diagnostics;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Events;

/// <summary>Long polls (<c>wait</c>): answered as soon as a change commits, or empty when the time is up.</summary>
public abstract class EventsWaitTests(ApiFixture api) : EventsTestBase(api)
{
    [Fact]
    public async Task Wait_ChangeCommitsDuringTheWait_AnswersPromptly()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.82.0.0/24");
        var cursor = await EndCursorAsync();
        var clock = Stopwatch.StartNew();

        var poll = Api.GetJsonAsync($"/v1/events?after={cursor}&wait=30&tenant_id={tenant}");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(poll.IsCompleted, "The long poll answered before anything changed.");
        await Api.AllocateAsync(id, new { ip_address = "10.82.0.5" });
        var page = await poll.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var item = Assert.Single(page["items"]!.AsArray())!.AsObject();
        Assert.Equal("allocation.created", (string?)item["type"]);
        Assert.Equal("10.82.0.5", (string?)item["ip_address"]);
        Assert.Equal((string?)item["id"], (string?)page["next"]);
    }

    [Fact]
    public async Task Wait_NothingCommits_AnswersEmptyWhenTheTimeIsUp()
    {
        var tenant = NewTenant();
        var cursor = await EndCursorAsync();
        var clock = Stopwatch.StartNew();

        var page = await Api.GetJsonAsync($"/v1/events?after={cursor}&wait=1&tenant_id={tenant}");

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(cursor, (string?)page["next"]);
    }

    [Fact]
    public async Task Wait_AnotherTenantChanges_KeepsWaitingThenAnswersEmpty()
    {
        var mine = NewTenant();
        var other = await SubnetAsync(NewTenant(), "10.82.1.0/24");
        var cursor = await EndCursorAsync();
        var clock = Stopwatch.StartNew();

        var poll = Api.GetJsonAsync($"/v1/events?after={cursor}&wait=2&tenant_id={mine}");
        await Api.AllocateAsync(other);
        var page = await poll;

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {clock.Elapsed}");
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(cursor, (string?)page["next"]);
    }

    [Fact]
    public async Task Wait_NoWait_AnswersAtOnce()
    {
        var clock = Stopwatch.StartNew();

        var page = await Api.GetJsonAsync($"/v1/events?after={await EndCursorAsync()}&tenant_id={NewTenant()}");

        Assert.Empty(page["items"]!.AsArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}

public sealed class EventsWaitTestsOnSqlite(SqliteApiFixture api) : EventsWaitTests(api), IClassFixture<SqliteApiFixture>;

public sealed class EventsWaitTestsOnPostgres(PostgresApiFixture api) : EventsWaitTests(api), IClassFixture<PostgresApiFixture>;
