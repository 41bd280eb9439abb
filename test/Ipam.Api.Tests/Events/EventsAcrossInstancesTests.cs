using System.Diagnostics;
using System.Text.Json.Nodes;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Events;

/// <summary>
/// Two instances on one PostgreSQL database: a follower of one instance sees what the other commits, although
/// only the committing instance's own followers are woken directly.
/// </summary>
public sealed class EventsAcrossInstancesTests(PostgresApiFixture api) : EventsTestBase(api), IClassFixture<PostgresApiFixture>, IAsyncLifetime
{
    private WebApplication? _other;
    private HttpClient? _otherClient;

    private HttpClient Other => _otherClient!;

    public async ValueTask InitializeAsync()
    {
        _other = IpamHost.Build(Api.Server.Options, builder => builder.Logging.ClearProviders());
        await _other.StartAsync();
        _otherClient = new HttpClient { BaseAddress = new Uri(_other.Urls.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        _otherClient?.Dispose();
        if (_other is not null)
        {
            await _other.StopAsync();
            await _other.DisposeAsync();
        }
    }

    [Fact]
    public async Task Wait_OtherInstanceCommits_AnswersWithinAPoll()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.84.0.0/24");
        var cursor = await EndCursorAsync();
        var clock = Stopwatch.StartNew();

        var poll = Other.GetStringAsync($"/v1/events?after={cursor}&wait=30&tenant_id={tenant}", TestContext.Current.CancellationToken);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await Api.AllocateAsync(id, new { ip_address = "10.84.0.9" });
        var page = JsonNode.Parse(await poll.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))!;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("10.84.0.9", (string?)Assert.Single(page["items"]!.AsArray())!["ip_address"]);
    }

    /// <summary>A server that stops ends its open streams cleanly: the client reads to the end, no transfer is cut off.</summary>
    [Fact]
    public async Task Stream_ServerStops_EndsCleanly()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/events?after={await EndCursorAsync()}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await Other.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
        var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);

        await _other!.StopAsync(TestContext.Current.CancellationToken);
        using var reader = new StreamReader(body);
        var rest = await reader.ReadToEndAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("event:", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_BothInstancesCommit_OneStreamSeesAllInCommitOrder()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(tenant, "10.84.1.0/24");
        await using var stream = await EventStreamClient.OpenAsync(Other, $"/v1/events?after={await EndCursorAsync()}&tenant_id={tenant}");

        var mine = Enumerable.Range(10, 10).Select(i => Api.PostAsync($"/v1/subnets/{id}/allocations", new { ip_address = $"10.84.1.{i}" }));
        var theirs = Enumerable.Range(30, 10).Select(i => Other.PostAsync(
            $"/v1/subnets/{id}/allocations", new StringContent($$"""{"ip_address": "10.84.1.{{i}}"}""", System.Text.Encoding.UTF8, "application/json")));
        Assert.All(await Task.WhenAll(mine.Concat(theirs)), r => Assert.True(r.IsSuccessStatusCode));
        var items = await stream.TakeAsync(20, TimeSpan.FromSeconds(10));

        Assert.Equal(20, items.Select(i => (string)JsonNode.Parse(i.Data)!["ip_address"]!).Distinct().Count());
        var positions = items.Select(i => long.Parse(i.EventId!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(
            (await EventsAsync(tenant)).Skip(1).Select(e => (string)e["id"]!),
            items.Select(i => i.EventId!));
    }
}
