using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Events;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Storage.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Events;

/// <summary>
/// Waiting followers of the change log (long-polls and streams): idle ones share the instance's looks at where the log
/// ends instead of each reading its own query every poll, and an instance holds only so many of them.
/// </summary>
public sealed class EventFollowersTests
{
    private const int Followers = 20;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    [InlineData(StoreKind.ThreePostgresInstances)]
    public async Task Idle_long_polls_share_the_instances_looks_at_the_log_end_instead_of_each_polling(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store);
        var cursor = await EndCursorAsync(server.Client);
        var traceId = ActivityTraceId.CreateRandom();
        var reads = new ConcurrentBag<Activity>();
        using var listener = StoreReadsOf(traceId, reads);

        var clock = Stopwatch.StartNew();
        var polls = Enumerable.Range(0, Followers).Select(_ => LongPollAsync(server.Client, $"/v1/events?after={cursor}&wait=2", traceId)).ToList();
        var pages = await Task.WhenAll(polls);

        Assert.All(pages, page => Assert.Empty(page["items"]!.AsArray()));
        // Each poll reads once as it arrives (and checks its cursor); then the instance looks every 250 ms for them all.
        // Each polling on its own would read about eight times in its two seconds.
        var looks = clock.Elapsed / EventFeed.PollInterval * server.InstanceClients.Count;
        Assert.True(reads.Count <= (Followers * 2) + looks, $"{reads.Count} store reads for {Followers} idle long-polls of 2 s");
    }

    [Fact]
    public async Task An_idle_long_poll_on_one_instance_still_answers_what_another_commits()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: StoreKind.ThreePostgresInstances);
        var subnet = (string)(await server.CreateSubnetAsync(new { cidr = "10.88.0.0/24" }))["id"]!;
        var cursor = await EndCursorAsync(server.Client);
        using var first = new HttpClient { BaseAddress = server.InstanceClients[0].BaseAddress };
        using var second = new HttpClient { BaseAddress = server.InstanceClients[1].BaseAddress };

        var idle = Enumerable.Range(0, 5).Select(_ => first.GetStringAsync($"/v1/events?after={cursor}&wait=30")).ToList();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        await IpamServer.ExpectAsync(await second.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { ip_address = "10.88.0.7" }), 201);
        var pages = await Task.WhenAll(idle).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.All(pages, page => Assert.Equal("10.88.0.7", (string?)Assert.Single(JsonNode.Parse(page)!["items"]!.AsArray())!["ip_address"]));
    }

    [Fact]
    public async Task Past_the_instances_limit_a_follower_is_refused_503_with_retry_after_and_pages_still_answer()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, configure: o => o with { MaxEventFollowers = 3 });
        var cursor = await EndCursorAsync(server.Client);
        var held = Enumerable.Range(0, 3).Select(_ => server.Client.GetAsync($"/v1/events?after={cursor}&wait=3")).ToList();
        await Task.Delay(500, TestContext.Current.CancellationToken);

        using var refused = await server.Client.GetAsync($"/v1/events?after={cursor}&wait=3");
        var problem = await IpamServer.ExpectProblemAsync(refused, 503, EventFollowerProblems.TooManyFollowersCode);
        Assert.Equal("5", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, (int?)problem["limit"]);
        using var stream = new HttpRequestMessage(HttpMethod.Get, $"/v1/events?after={cursor}");
        stream.Headers.Accept.ParseAdd("text/event-stream");
        await IpamServer.ExpectProblemAsync(await server.Client.SendAsync(stream), 503, EventFollowerProblems.TooManyFollowersCode);
        await IpamServer.ExpectAsync(await server.Client.GetAsync($"/v1/events?after={cursor}"), 200);

        foreach (var poll in held)
        {
            using var answered = await poll;
            Assert.Equal(200, (int)answered.StatusCode);
        }

        await IpamServer.ExpectAsync(await server.Client.GetAsync($"/v1/events?after={cursor}&wait=1"), 200);
    }

    [Fact]
    public async Task Past_the_limit_of_one_token_its_follower_is_refused_429_and_another_tokens_is_not()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var greedy = await server.ClientAsync(CallerRole.Reader, "greedy");
        var other = await server.ClientAsync(CallerRole.Reader, "other");
        var cursor = await EndCursorAsync(greedy);
        var held = Enumerable.Range(0, EventFollowers.PerCaller).Select(_ => greedy.GetAsync($"/v1/events?after={cursor}&wait=5")).ToList();
        await WaitUntilAsync(() => server.Services.GetRequiredService<EventFollowers>().Open == EventFollowers.PerCaller);

        using var refused = await greedy.GetAsync($"/v1/events?after={cursor}&wait=5");
        var problem = await IpamServer.ExpectProblemAsync(refused, 429, EventFollowerProblems.TooManyFollowersCode);
        Assert.Equal(EventFollowers.PerCaller, (int?)problem["limit"]);
        Assert.NotNull(refused.Headers.RetryAfter);
        await IpamServer.ExpectAsync(await other.GetAsync($"/v1/events?after={await EndCursorAsync(other)}&wait=1"), 200);

        foreach (var poll in held)
        {
            using var answered = await poll;
            Assert.Equal(200, (int)answered.StatusCode);
        }
    }

    private static async Task<string> EndCursorAsync(HttpClient client)
    {
        var page = JsonNode.Parse(await client.GetStringAsync("/v1/events?tail=1"))!;
        return (string)page["next"]!;
    }

    private static async Task<JsonNode> LongPollAsync(HttpClient client, string path, ActivityTraceId traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        await IpamServer.ExpectAsync(response, 200);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Collects the store's reads made in the trace <paramref name="traceId"/> (the requests that carry it, and what they start).</summary>
    private static ActivityListener StoreReadsOf(ActivityTraceId traceId, ConcurrentBag<Activity> reads)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StoreTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == StoreTelemetry.Name && activity.TraceId == traceId && activity.OperationName == "ipam.store.read")
                {
                    reads.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the followers did not all arrive");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
