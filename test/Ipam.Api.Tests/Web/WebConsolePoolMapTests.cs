using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>The pools page draws each pool like a subnet's map: its prefixes used by subnets, and the free ones where they lie.</summary>
public sealed class WebConsolePoolMapTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsolePoolMapTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Pools_UsedAndFreePrefixes_ExactForIpv4AndIpv6()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var v4 = await Pool(server, """{"name":"v4","prefixes":["10.8.0.0/16"],"default_prefixlen":24}""");
        var v6 = await Pool(server, """{"name":"v6","prefixes":["2001:db8::/48"],"default_prefixlen":64}""");
        await server.CreateSubnetAsync(new { subnet_pool_id = v4 });
        await server.CreateSubnetAsync(new { subnet_pool_id = v6 });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/pools");

        var rows = page.Locator("#pools-table tbody tr");
        await Expect(rows.Filter(new() { HasText = "10.8.0.0/16" }).Locator(".usage-text")).ToContainTextAsync("256 / 65,536 allocated");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "10.8.0.0/16: 0.39% used by subnets, free: 10.8.1.0/24, 10.8.2.0/23," })).ToBeVisibleAsync();
        await Expect(rows.Filter(new() { HasText = "2001:db8::/48" }).Locator(".usage-text"))
            .ToContainTextAsync("18,446,744,073,709,551,616 / 1,208,925,819,614,629,174,706,176 allocated");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "2001:db8::/48: 0.001% used by subnets, free: 2001:db8:0:1::/64," })).ToBeVisibleAsync();
        await Expect(rows.Filter(new() { HasText = "10.8.0.0/16" }).Locator(".pool-free")).ToHaveCountAsync(8);
        await Screenshots.SaveAsync(page, "pool-map", fullPage: true);
    }

    [Fact]
    public async Task Pools_Many_ListedAtOnceThenTheirFreePrefixesAskedFourAtATime()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        for (var i = 0; i < 10; i++)
        {
            await Pool(server, $$"""{"name":"p{{i}}","prefixes":["10.{{100 + i}}.0.0/16"]}""");
        }

        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var gate = new object();
        var (held, most) = (0, 0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => new Uri(url).AbsolutePath.EndsWith("/available-prefixes", StringComparison.Ordinal), async route =>
        {
            lock (gate)
            {
                most = Math.Max(most, ++held);
            }

            await release.Task;
            lock (gate)
            {
                held--;
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync("/#/pools");

        // Every pool is listed while no free prefixes have come back.
        var rows = page.Locator("#pools-table tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.Locator("td[data-label='Available prefixes']").First).ToHaveTextAsync("loading…");
        var guard = DateTime.UtcNow.AddSeconds(15);
        while (Held() < 4 && DateTime.UtcNow < guard)
        {
            await Task.Delay(20);
        }

        await Task.Delay(500); // room for a fifth request, were it sent
        release.SetResult();

        for (var i = 0; i < 10; i++)
        {
            await Expect(rows.Filter(new() { HasText = $"p{i}" }).Locator("td[data-label='Available prefixes']")).ToHaveTextAsync($"10.{100 + i}.0.0/16");
        }

        Assert.Equal(4, most);

        int Held()
        {
            lock (gate)
            {
                return held;
            }
        }
    }

    [Fact]
    public async Task Pools_FreePrefixesOverSeveralPages_MapCountsThemAll()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var pool = await Pool(server, """{"name":"scattered","prefixes":["2001:db8::/48"],"min_prefixlen":48}""");
        for (var i = 1; i <= 20; i++)
        {
            await server.CreateSubnetAsync(new { subnet_pool_id = pool, cidr = $"2001:db8:0:{i * 0x0c0d:x}::{i * 7:x}/128" });
        }

        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/pools");

        // Over 1,000 free prefixes: the allocated count is right only if every page was read.
        var row = page.Locator("#pools-table tbody tr").Filter(new() { HasText = "scattered" });
        await Expect(row.Locator(".usage-text")).ToContainTextAsync("20 / 1,208,925,819,614,629,174,706,176 allocated");
        await Expect(row.Locator("td[data-label='Available prefixes'] summary")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[1-9],\d{3} prefixes$|^[1-9]\d{3} prefixes$"));
    }

    [Fact]
    public async Task Pools_FreePrefixesBeyondTenPages_SaysMoreInsteadOfAMap()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await Pool(server, """{"name":"endless","prefixes":["10.9.0.0/16"]}""");
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var served = 0;
        await page.RouteAsync(url => new Uri(url).AbsolutePath.EndsWith("/available-prefixes", StringComparison.Ordinal), async route =>
        {
            var n = Interlocked.Increment(ref served);
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = $$"""{"prefixes":["10.9.{{n}}.0/24"],"next":"10.9.{{n}}.0"}""" });
        });

        await page.GotoAsync("/#/pools");

        var row = page.Locator("#pools-table tbody tr").Filter(new() { HasText = "endless" });
        await Expect(row.Locator("td[data-label='Available prefixes'] summary")).ToHaveTextAsync("the first 10 prefixes (more not shown)");
        await Expect(row).ToContainTextAsync("unknown: over 10 free prefixes");
        Assert.Equal(10, Volatile.Read(ref served));
    }

    [Theory]
    [InlineData("10.8.0.1", "168296449")]
    [InlineData("2001:db8::1", "42540766411282592856903984951653826561")]
    [InlineData("::ffff:192.0.2.1", "281473902969345")]
    [InlineData("64:ff9b::198.51.100.7", "524413980667603649783483184637502471")]
    public async Task AddressValue_ReadsEveryTextualForm_IncludingADottedIpv4Tail(string address, string expected)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        await console.Page.GotoAsync("/");

        var value = await console.Page.EvaluateAsync<string>(
            "async (text) => (await import('/ui/pool-map.js')).addressValue(text).toString()", address);

        Assert.Equal(expected, value);
    }

    private static async Task<string> Pool(IpamServer server, string json) =>
        (string)(await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/subnet-pools", json), 201))["id"]!;
}
