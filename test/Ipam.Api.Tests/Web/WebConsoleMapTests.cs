using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// The address map on the subnet page in headless Chromium: cells of a small subnet that allocate and release
/// their address, blocks of a /16 that zoom in and back out, the blocks of an IPv6 /64, keyboard use and axe.
/// </summary>
public sealed class WebConsoleMapTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsoleMapTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Cell_AllocateThenRelease_TheCellAndTheHistoryFollow()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.140.0.0/28", allocation_pools = new[] { new { start = "10.140.0.4", end = "10.140.0.12" } } }));
        await server.AllocateAsync(id, new { ip_address = "10.140.0.2", owner = "router" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");

        var grid = page.Locator("#map-grid");
        await Expect(grid.GetByRole(AriaRole.Button)).ToHaveCountAsync(16);
        await Expect(Cell(page, "10.140.0.0: network address")).ToHaveTextAsync("N");
        await Expect(Cell(page, "10.140.0.1: gateway")).ToHaveTextAsync("G");
        await Expect(Cell(page, "10.140.0.2: allocated to router")).ToBeVisibleAsync();
        await Expect(Cell(page, "10.140.0.3: outside the pools")).ToBeVisibleAsync();
        await Expect(Cell(page, "10.140.0.15: broadcast address")).ToHaveTextAsync("B");

        await Cell(page, "10.140.0.7: free").ClickAsync();
        await page.GetByLabel("Owner of the new allocation").FillAsync("vm-map");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate this address" }).ClickAsync();

        await Expect(page.Locator("#map-msg")).ToHaveTextAsync("Allocated 10.140.0.7.");
        await Expect(Cell(page, "10.140.0.7: allocated to vm-map")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("#map-detail dl")).ToContainTextAsync("vm-map");
        await Expect(page.Locator("#map-detail table[aria-label='History of 10.140.0.7'] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#allocations-table tbody")).ToContainTextAsync("10.140.0.7");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("1 / 9 allocated");
        Assert.Equal("vm-map", (string?)(await server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.140.0.7"))["owner"]);
        await Screenshots.SaveAsync(page, "map-cell-allocated", fullPage: true);

        await page.GetByRole(AriaRole.Button, new() { Name = "Release this address" }).ClickAsync();

        await Expect(page.Locator("#map-msg")).ToHaveTextAsync("Released 10.140.0.7.");
        await Expect(Cell(page, "10.140.0.7: free")).ToBeFocusedAsync();
        await Expect(page.Locator("#map-detail table[aria-label='History of 10.140.0.7'] tbody tr td[data-label=Reason]")).ToHaveTextAsync("released");
        await Expect(page.Locator("#allocations-table tbody")).Not.ToContainTextAsync("10.140.0.7");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/v1/subnets/{id}/allocations/10.140.0.7")).StatusCode);
    }

    [Fact]
    public async Task Cell_ReleasedWhileTheLiveReloadOverlapsThePagesOwn_FocusStaysOnTheCell()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.144.0.0/28" }));
        await server.AllocateAsync(id, new { ip_address = "10.144.0.7", owner = "vm" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");
        await Cell(page, "10.144.0.7: allocated to vm").ClickAsync();

        // After the release the page reloads its map (answered late), and so does the live reload the release's
        // event starts (answered later still): the last to arrive draws the cells the focus must be on.
        var delays = new Queue<int>([600, 1500]);
        var armed = false;
        var lastAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => new Uri(url).AbsolutePath == $"/v1/subnets/{id}/map", async route =>
        {
            int? delay = null;
            lock (delays)
            {
                if (armed && delays.Count > 0)
                {
                    delay = delays.Dequeue();
                }
            }

            if (delay is { } ms)
            {
                await Task.Delay(ms);
            }

            await route.ContinueAsync();
            if (delay == 1500)
            {
                lastAnswered.TrySetResult();
            }
        });
        lock (delays)
        {
            armed = true;
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Release this address" }).ClickAsync();

        await Expect(page.Locator("#map-msg")).ToHaveTextAsync("Released 10.144.0.7.");
        await Expect(Cell(page, "10.144.0.7: free")).ToBeFocusedAsync();
        await lastAnswered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await page.WaitForTimeoutAsync(300); // time to draw it
        await Expect(Cell(page, "10.144.0.7: free")).ToBeFocusedAsync(new() { Timeout = 2_000 });
    }

    [Fact]
    public async Task ChangesMadeElsewhere_ShowOnTheOpenPage_FocusKept()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.141.0.0/28" }));
        var other = Id(await server.CreateSubnetAsync(new { cidr = "10.142.0.0/28" }));
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");
        await Cell(page, "10.141.0.9: free").FocusAsync();

        // Made by another client: the page hears of it from the events feed, not from its own request.
        await server.AllocateAsync(id, new { ip_address = "10.141.0.5", owner = "elsewhere" });

        await Expect(Cell(page, "10.141.0.5: allocated to elsewhere")).ToBeVisibleAsync();
        await Expect(page.Locator("#allocations-table tbody")).ToContainTextAsync("10.141.0.5");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("1 / 13 allocated");
        await Expect(Cell(page, "10.141.0.9: free")).ToBeFocusedAsync();

        await server.AllocateAsync(other, new { ip_address = "10.142.0.6" });
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.141.0.5")).StatusCode);
        await Expect(Cell(page, "10.141.0.5: free")).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("0 / 13 allocated");
    }

    [Fact]
    public async Task ChangesMadeElsewhere_FasterThanFourASecond_ShownWhileTheyKeepComing()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.143.0.0/23" }));
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");
        var allocated = page.Locator("#detail-usage .usage-text b");
        await Expect(allocated).ToHaveTextAsync("0");

        // An allocation every few tens of milliseconds, for longer than the page may take to show one.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var made = 0; made < 500 && !stop.IsCancellationRequested; made++)
            {
                await server.AllocateAsync(id, new { strategy = "next" });
                await Task.Delay(25);
            }
        });
        try
        {
            await Expect(allocated).Not.ToHaveTextAsync("0", new() { Timeout = 4_000 });
            Assert.False(writer.IsCompleted, "The allocations stopped before the page showed any: the test proves nothing.");
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        // The burst over, the page settles on what was made.
        var total = (await server.GetJsonAsync($"/v1/subnets/{id}"))["usage"]!["allocated"]!.ToString();
        await Expect(allocated).ToHaveTextAsync(total);
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(Math.Min(int.Parse(total, CultureInfo.InvariantCulture), 50));
        await Expect(page.Locator("#map-grid .cell").First).ToHaveAttributeAsync("aria-label", new Regex($"^10\\.143\\.0\\.0/24: {total} allocated"));
    }

    [Fact]
    public async Task Blocks_Slash16_ZoomIntoABlockByKeyboardAndBackOut()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.141.0.0/16", name = "big" }));
        await server.AllocateAsync(id, new { count = 300, strategy = "next", owner = "bulk" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");

        var cells = page.Locator("#map-grid").GetByRole(AriaRole.Button);
        await Expect(cells).ToHaveCountAsync(256);
        await Expect(page.Locator("#map-summary")).ToContainTextAsync("256 blocks of /24, 300 allocated, 65,533 in the pools");
        await Expect(Cell(page, "10.141.0.0/24: 254 allocated, 0 free of 254 pool addresses (100% full). Zoom in")).ToHaveClassAsync("cell f-full");
        await Expect(Cell(page, "10.141.1.0/24: 46 allocated, 210 free of 256 pool addresses (18% full). Zoom in")).ToHaveClassAsync("cell f-low");
        await Expect(Cell(page, "10.141.2.0/24: 0 allocated, 256 free of 256 pool addresses (0% full). Zoom in")).ToHaveClassAsync("cell f-empty");

        // One tab stop: the first block; the right arrow moves to the second, Enter zooms into it.
        await cells.First.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(cells.Nth(1)).ToBeFocusedAsync();
        await Expect(cells.Nth(1)).ToHaveAttributeAsync("tabindex", "0");
        await Expect(cells.Nth(0)).ToHaveAttributeAsync("tabindex", "-1");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#map-crumbs [aria-current=location]")).ToHaveTextAsync("10.141.1.0/24");
        await Expect(cells).ToHaveCountAsync(256);
        await Expect(Cell(page, "10.141.1.45: allocated to bulk")).ToBeVisibleAsync();
        await Expect(Cell(page, "10.141.1.46: free")).ToBeVisibleAsync();
        await Expect(cells.First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(Cell(page, "10.141.1.16: allocated to bulk")).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page, "map-slash16-zoomed", fullPage: true);

        await page.GetByRole(AriaRole.Button, new() { Name = "Zoom out to 10.141.0.0/16" }).ClickAsync();
        await Expect(page.Locator("#map-crumbs [aria-current=location]")).ToHaveTextAsync("10.141.0.0/16");
        await Expect(Cell(page, "10.141.255.0/24: 0 allocated, 255 free of 255 pool addresses (0% full). Zoom in")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Blocks_Ipv6Slash64_FillOfEachSlash72AndTheAllocationsBelow()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "2001:db8:142::/64", name = "v6" }));
        await server.AllocateAsync(id, new { count = 3, strategy = "next", owner = "vm" });
        await server.AllocateAsync(id, new { ip_address = "2001:db8:142:0:8000::9", owner = "far" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");

        await Expect(page.Locator("#map-grid").GetByRole(AriaRole.Button)).ToHaveCountAsync(256);
        await Expect(Cell(page, "2001:db8:142::/72: 3 allocated, 72,057,594,037,927,931 free of 72,057,594,037,927,934 pool addresses (<0.1% full). Zoom in"))
            .ToHaveClassAsync("cell f-low");
        await Expect(Cell(page, "2001:db8:142:0:8000::/72: 1 allocated, 72,057,594,037,927,935 free of 72,057,594,037,927,936 pool addresses (<0.1% full). Zoom in"))
            .ToBeVisibleAsync();
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("#allocations-table tbody")).ToContainTextAsync("2001:db8:142:0:8000::9");
        await Screenshots.SaveAsync(page, "map-ipv6-slash64", fullPage: true);

        await Cell(page, "2001:db8:142::/72: 3 allocated, 72,057,594,037,927,931 free of 72,057,594,037,927,934 pool addresses (<0.1% full). Zoom in").ClickAsync();
        await Expect(page.Locator("#map-crumbs [aria-current=location]")).ToHaveTextAsync("2001:db8:142::/72");
        await Expect(page.Locator("#map-summary")).ToContainTextAsync("256 blocks of /80, 3 allocated");
        await Expect(page.Locator("#map-crumbs")).ToContainTextAsync("2001:db8:142::/64");
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(360, 740)]
    public async Task Map_CellsBlocksAndAChosenAddress_NoSeriousOrCriticalViolations(int width, int height)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var small = Id(await server.CreateSubnetAsync(new { cidr = "10.143.0.0/24", name = "web" }));
        await server.AllocateAsync(small, new { ip_address = "10.143.0.9", owner = "vm-9" });
        var big = Id(await server.CreateSubnetAsync(new { cidr = "10.144.0.0/16" }));
        await server.AllocateAsync(big, new { count = 500, strategy = "next" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!, width, height);
        var page = console.Page;

        await page.GotoAsync($"/#/subnets/{small}");
        await Cell(page, "10.143.0.9: allocated to vm-9").ClickAsync();
        await Expect(page.Locator("#map-detail table tbody tr")).ToHaveCountAsync(1);
        await WebConsoleAccessibilityTests.AssertAccessibleAsync(page, "subnet map with a chosen address");

        await page.GotoAsync($"/#/subnets/{big}");
        await Expect(page.Locator("#map-grid").GetByRole(AriaRole.Button)).ToHaveCountAsync(256);
        await WebConsoleAccessibilityTests.AssertAccessibleAsync(page, "subnet map of blocks");
    }

    [Fact]
    public async Task ReadmeScreenshot_SubnetPageWithItsMap()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new
        {
            cidr = "10.20.0.0/24", name = "web-frontend",
            allocation_pools = new[] { new { start = "10.20.0.10", end = "10.20.0.199" }, new { start = "10.20.0.210", end = "10.20.0.250" } },
        }));
        // The chosen addresses first: the random batch could otherwise take one of them.
        await server.AllocateAsync(id, new { ip_address = "10.20.0.5", owner = "lb-vip" });
        await server.AllocateAsync(id, new { ip_address = "10.20.0.212", owner = "db-1", description = "primary database" });
        await server.AllocateAsync(id, new { count = 40, strategy = "next", owner = "web" });
        await server.AllocateAsync(id, new { count = 25, owner = "batch" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!, 1280, 1120);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");

        await Cell(page, "10.20.0.212: allocated to db-1").ClickAsync();
        await Expect(page.Locator("#map-detail table tbody tr")).ToHaveCountAsync(1);
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        await Screenshots.SaveForDocsAsync(page, "console-subnet-map");
    }

    private static ILocator Cell(IPage page, string label) =>
        page.Locator("#map-grid").GetByRole(AriaRole.Button, new() { Name = label, Exact = true });

    private static string Id(System.Text.Json.Nodes.JsonObject resource) => (string)resource["id"]!;
}
