using System.Net;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>The console's history of an address: a row under its allocation, from the history endpoint.</summary>
public sealed class WebConsoleHistoryTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsoleHistoryTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task HistoryButton_ShowsCurrentAndEndedAllocationsUnderTheRow_AndHidesThemAgain()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = (string)(await server.CreateSubnetAsync(new { cidr = "10.61.0.0/29" }))["id"]!;
        await server.AllocateAsync(subnet, new { ip_address = "10.61.0.2", owner = "vm-1", description = "first" });
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{subnet}/allocations/10.61.0.2")).StatusCode);
        await server.AllocateAsync(subnet, new { ip_address = "10.61.0.2", owner = "vm-2" });
        await server.AllocateAsync(subnet, new { ip_address = "10.61.0.3", owner = "vm-3" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{subnet}");
        await Expect(page.Locator("#allocations-table > tbody > tr")).ToHaveCountAsync(2);

        var button = page.GetByRole(AriaRole.Button, new() { Name = "History of 10.61.0.2" });
        await button.ClickAsync();

        var history = page.GetByRole(AriaRole.Table, new() { Name = "History of 10.61.0.2" });
        var rows = history.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td[data-label=Owner]")).ToHaveTextAsync("vm-2");
        await Expect(rows.Nth(0).Locator("td[data-label=Released]")).ToHaveTextAsync("current");
        await Expect(rows.Nth(1).Locator("td[data-label=Owner]")).ToHaveTextAsync("vm-1");
        await Expect(rows.Nth(1).Locator("td[data-label=Description]")).ToHaveTextAsync("first");
        await Expect(rows.Nth(1).Locator("td[data-label='Released by']")).ToHaveTextAsync("anonymous");
        await Expect(rows.Nth(1).Locator("td[data-label=Reason]")).ToHaveTextAsync("released");
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("tr.history-row > td")).Not.ToContainTextAsync("null");

        // The history row sits right under its allocation, before the next one.
        var order = await page.Locator("#allocations-table > tbody > tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.classList.contains('history-row') ? 'history' : r.querySelector('td').textContent)");
        Assert.Equal(["10.61.0.2", "history", "10.61.0.3"], order);

        await button.ClickAsync();
        await Expect(history).ToHaveCountAsync(0);
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [Fact]
    public async Task HistoryButton_SubnetDeletedMeanwhile_ShowsTheProblem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = (string)(await server.CreateSubnetAsync(new { cidr = "10.62.0.0/29" }))["id"]!;
        await server.AllocateAsync(subnet, new { ip_address = "10.62.0.2" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{subnet}");
        await Expect(page.Locator("#allocations-table > tbody > tr")).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{subnet}?force=true")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "History of 10.62.0.2" }).ClickAsync();

        var alert = page.Locator("tr.history-row [role=alert]");
        await Expect(alert).ToContainTextAsync("Could not load the history of 10.62.0.2");
        await Expect(alert).ToContainTextAsync("subnet-not-found");
    }
}
