using System.Diagnostics;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Events;

/// <summary>A stopping server ends its long polls and event streams instead of waiting for them.</summary>
public abstract class EventsShutdownTests(StoreKind store)
{
    [Fact]
    public async Task Stop_WhileFollowersWait_EndsPollsAndStreamsPromptly()
    {
        var server = await IpamServer.StartAsync(durableCommits: false, store: store);
        using var follower = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var poll = follower.GetAsync("/v1/events?after=0&wait=60&tenant_id=nobody", TestContext.Current.CancellationToken);
        var stream = await EventStreamClient.OpenAsync(follower, "/v1/events?tenant_id=nobody");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();

        await server.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        var answer = await poll.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode}");
        Assert.True(await stream.EndedAsync(TimeSpan.FromSeconds(5)), "The stream went on.");
        await stream.DisposeAsync();
    }
}

public sealed class EventsShutdownTestsOnSqlite() : EventsShutdownTests(StoreKind.Sqlite);

public sealed class EventsShutdownTestsOnPostgres() : EventsShutdownTests(StoreKind.Postgres);
