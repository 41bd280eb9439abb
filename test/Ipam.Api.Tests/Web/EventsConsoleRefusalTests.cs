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
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// The console's Events page when the feed refuses it: a cursor the change log's retention overtook (410
/// <c>cursor-expired</c>) is said as such and not retried, and a follower limit (429 <c>too-many-followers</c>) is
/// waited out as its Retry-After asks. The console talks to the first instance; with three, the others share its database.
/// </summary>
public abstract class EventsConsoleRefusalTests(StoreKind store, Chromium chromium) : IClassFixture<Chromium>
{
    static EventsConsoleRefusalTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task EventsPage_ResumedAfterTheRetentionRemovedWhatFollowed_SaysSoAndStops()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 7, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await IpamServer.StartAsync(time: clock, durableCommits: false, store: store);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.67.0.0/24" }))["id"]!;
        await server.AllocateAsync(id, new { ip_address = "10.67.0.5" });
        // The subnet's creation: the allocation after it is among what the retention removes.
        var old = (await server.GetJsonAsync("/v1/events?tail=2"))["items"]![0]!;
        clock.Advance(TimeSpan.FromDays(10));
        await server.AllocateAsync(id, new { ip_address = "10.67.0.6" });
        await PruneAsync(server, clock, TimeSpan.FromDays(5));
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var resumes = 0;
        // The page last saw a change that the retention has since removed, then its connection dropped.
        await EventStreamRoutes.OneEventThenDropAsync(page, old, _ => resumes++);

        await page.GotoAsync("/#/events");

        var status = page.Locator("#events-status");
        await Expect(status).ToContainTextAsync("removed by the server's change-log retention");
        await Expect(status).ToContainTextAsync("Reload the page");
        await Expect(page.Locator("#events-table tbody tr")).ToHaveCountAsync(1);
        await page.WaitForTimeoutAsync(1_500);
        Assert.Equal(1, resumes);
    }

    [Fact]
    public async Task EventsPage_TokenHoldsAsManyFollowersAsItMay_WaitsAndGoesLive()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var token = await server.TokenAsync(CallerRole.Reader, "tenant-busy");
        using var firstInstance = new HttpClient { BaseAddress = server.InstanceClients[0].BaseAddress };
        firstInstance.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);
        var end = (string)(await IpamServer.ExpectAsync(await firstInstance.GetAsync("/v1/events?tail=1"), 200))["next"]!;
        using var release = new CancellationTokenSource();
        var held = Enumerable.Range(0, EventFollowers.PerCaller)
            .Select(_ => firstInstance.GetAsync($"/v1/events?after={end}&wait=25", release.Token)).ToList();
        var followers = server.Services.GetRequiredService<EventFollowers>();
        await Eventually.HoldsAsync(() => followers.Open == EventFollowers.PerCaller, "the token's followers to be open");
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var refused = 0;
        page.Response += (_, response) =>
        {
            if (response.Status == 429 && new Uri(response.Url).AbsolutePath == "/v1/events")
            {
                refused++;
            }
        };
        await page.GotoAsync("/#/events");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API token needed" });
        await dialog.GetByLabel("API token").FillAsync(token.Secret);
        await dialog.GetByLabel("API token").PressAsync("Enter");

        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Reconnecting…");
        await release.CancelAsync();
        await Task.WhenAll(held.Select(poll => poll.ContinueWith(_ => { }, TaskScheduler.Default)));

        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.", new() { Timeout = 30_000 });
        Assert.True(refused >= 1);
        var admin = await server.ClientAsync(CallerRole.Admin, null);
        await IpamServer.ExpectAsync(await admin.PostAsJsonAsync("/v1/subnets", new { cidr = "10.68.0.0/24", tenant_id = "tenant-busy" }), 201);
        await Expect(page.Locator("#events-table tbody tr").First.Locator("td[data-label='Subnet or resource']")).ToHaveTextAsync("10.68.0.0/24");
    }

    /// <summary>Folds the log into the usage counters (pruning takes only folded changes), then prunes it as the first instance would.</summary>
    private static async Task PruneAsync(IpamServer server, TimeProvider clock, TimeSpan retention)
    {
        var store = server.Services.GetRequiredService<IIpamStore>();
        while (await store.ReadAsync((session, ct) => session.FindUsageFoldLagAsync(ct)) > 0)
        {
            await store.WriteAloneAsync((session, ct) => session.FoldUsageAsync(1_000, ct));
        }

        var pruner = new ChangeLogPruner(store, clock, new IpamHostOptions { HistoryRetention = retention }, NullLogger<ChangeLogPruner>.Instance);
        Assert.True((await pruner.PruneAsync(TestContext.Current.CancellationToken)).Deleted >= 2);
    }
}

public sealed class EventsConsoleRefusalTestsOnSqlite(Chromium chromium) : EventsConsoleRefusalTests(StoreKind.Sqlite, chromium);

public sealed class EventsConsoleRefusalTestsOnPostgres(Chromium chromium) : EventsConsoleRefusalTests(StoreKind.Postgres, chromium);

public sealed class EventsConsoleRefusalTestsOnThreeInstances(Chromium chromium) : EventsConsoleRefusalTests(StoreKind.ThreePostgresInstances, chromium);
