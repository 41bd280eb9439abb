using Ipam.Api.Tests.Infrastructure;
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
}
