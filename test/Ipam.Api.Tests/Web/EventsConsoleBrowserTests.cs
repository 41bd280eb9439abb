using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>The console's Events page in headless Chromium: the latest changes, and new ones as they commit.</summary>
public sealed class EventsConsoleBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    static EventsConsoleBrowserTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task EventsPage_AllocationThroughTheApi_AppearsLiveAtTheTop()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.60.0.0/24", name = "live" });
        var id = (string)subnet["id"]!;
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/events");

        var rows = page.Locator("#events-table tbody tr");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.Locator("td[data-label=Type]")).ToHaveTextAsync("subnet.created");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Events" })).ToHaveAttributeAsync("aria-current", "page");

        await server.AllocateAsync(id, new { ip_address = "10.60.0.42", owner = "vm-7" });

        await Expect(rows).ToHaveCountAsync(2);
        var newest = rows.First;
        await Expect(newest.Locator("td[data-label=Type]")).ToHaveTextAsync("allocation.created");
        await Expect(newest.Locator("td[data-label=Address]")).ToHaveTextAsync("10.60.0.42");
        await Expect(newest.Locator("td[data-label='Subnet or resource']")).ToHaveTextAsync("10.60.0.0/24");
        await Expect(newest.Locator("td[data-label=Actor]")).ToHaveTextAsync("anonymous");
        Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
    }

    [Fact]
    public async Task EventsPage_BulkAllocationOf10000_DrawnInBatchesKeepingTheNewest200()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.170.0.0/18" }))["id"]!;
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/events");
        var rows = page.Locator("#events-table tbody tr");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        await Expect(rows).ToHaveCountAsync(1);
        await page.EvaluateAsync("""
            () => {
                window.tableChanges = 0;
                new MutationObserver((records) => { window.tableChanges += records.length; })
                    .observe(document.querySelector("#events-table tbody"), { childList: true });
            }
            """);

        // One request, 10,000 events: one row added and one removed for each would be 20,000 changes to the table.
        await server.AllocateAsync(id, new { strategy = "next", count = 10_000 });
        var latest = (await server.GetJsonAsync("/v1/events?tail=2"))["items"]!.AsArray();

        await Expect(rows.First.Locator("td[data-label=Address]")).ToHaveTextAsync((string)latest[1]!["ip_address"]!, new() { Timeout = 60_000 });
        await Expect(rows.Nth(1).Locator("td[data-label=Address]")).ToHaveTextAsync((string)latest[0]!["ip_address"]!);
        await Expect(rows).ToHaveCountAsync(200);
        Assert.Equal(200, await page.EvaluateAsync<int>("new Set([...document.querySelectorAll('#events-table tbody tr')].map(r => r.dataset.eventId)).size"));
        var changes = await page.EvaluateAsync<int>("window.tableChanges");
        Assert.True(changes <= 1_000, $"{changes} changes to the events table for one bulk allocation");
    }

    [Fact]
    public async Task EventsPage_AuthOn_TokenEnteredInTheConsole_StreamsItsTenantsEventsOnly()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var member = await server.ClientAsync(CallerRole.Member, "tenant-a");
        var other = await server.ClientAsync(CallerRole.Member, "tenant-b");
        var token = await server.TokenAsync(CallerRole.Member, "tenant-a");
        var subnet = await CreatedAsync(member.PostAsJsonAsync("/v1/subnets", new { cidr = "10.64.0.0/24" }));
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/events");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API token needed" });
        await dialog.GetByLabel("API token").FillAsync(token.Secret);
        await dialog.GetByLabel("API token").PressAsync("Enter");

        var rows = page.Locator("#events-table tbody tr");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.Locator("td[data-label='Subnet or resource']")).ToHaveTextAsync("10.64.0.0/24");

        // The other tenant's changes commit first: had the stream carried them, they would show before ours.
        var theirs = await CreatedAsync(other.PostAsJsonAsync("/v1/subnets", new { cidr = "10.65.0.0/24" }));
        await CreatedAsync(other.PostAsJsonAsync($"/v1/subnets/{theirs["id"]}/allocations", new { ip_address = "10.65.0.9" }));
        await CreatedAsync(member.PostAsJsonAsync($"/v1/subnets/{subnet["id"]}/allocations", new { ip_address = "10.64.0.7", owner = "vm-a" }));

        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First.Locator("td[data-label=Type]")).ToHaveTextAsync("allocation.created");
        await Expect(rows.First.Locator("td[data-label=Address]")).ToHaveTextAsync("10.64.0.7");
        await Expect(page.Locator("#events-table")).Not.ToContainTextAsync("10.65.0.");
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(token.Secret, await page.EvaluateAsync<string>("sessionStorage.getItem('ipam.token')"));
    }

    [Fact]
    public async Task EventsPage_StreamDrops_ResumesWithLastEventIdShowingNothingTwice()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.66.0.0/24" }))["id"]!;
        var latest = (await server.GetJsonAsync("/v1/events?tail=1"))["items"]![0]!;
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var resumedAfter = new List<string>();
        // The first connection carries the latest event, then ends as a dropped connection would.
        await EventStreamRoutes.OneEventThenDropAsync(page, latest, resumedAfter.Add);
        await page.GotoAsync("/#/events");

        var rows = page.Locator("#events-table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Reconnecting…");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        await server.AllocateAsync(id, new { ip_address = "10.66.0.9" });

        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First.Locator("td[data-label=Address]")).ToHaveTextAsync("10.66.0.9");
        await Expect(rows.Nth(1).Locator("td[data-label=Type]")).ToHaveTextAsync("subnet.created");
        Assert.Equal([(string)latest["id"]!], resumedAfter);
    }

    [Fact]
    public async Task EventsPage_Left_StopsTheStream()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/events");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        var ended = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.RequestFailed += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == "/v1/events")
            {
                ended.TrySetResult(request.Failure);
            }
        };

        await page.GetByRole(AriaRole.Link, new() { Name = "Subnets" }).ClickAsync();

        Assert.Equal("net::ERR_ABORTED", await ended.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        await Expect(page.Locator("#subnets-title")).ToBeVisibleAsync();
    }

    private static async Task<JsonObject> CreatedAsync(Task<HttpResponseMessage> request) => await IpamServer.ExpectAsync(await request, 201);
}
