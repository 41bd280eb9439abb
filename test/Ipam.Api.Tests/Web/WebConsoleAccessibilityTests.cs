using Deque.AxeCore.Playwright;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// axe-core on every page of the console, in the states an operator sees (lists filled, forms showing the
/// server's errors, a dialog open, a narrow screen): no serious or critical violation. The console is also
/// used by keyboard only: each control the checks cover is reached with Tab.
/// </summary>
public sealed class WebConsoleAccessibilityTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly HashSet<string> Failing = ["serious", "critical"];

    static WebConsoleAccessibilityTests() => SetDefaultExpectTimeout(15_000);

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(360, 740)]
    public async Task EveryPage_NoSeriousOrCriticalViolations(int width, int height)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = await FillAsync(server);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!, width, height);
        var page = console.Page;

        await page.GotoAsync("/");
        await Expect(page.Locator("#subnets-table tbody tr")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet", Exact = true }).ClickAsync();
        await Expect(page.Locator("#create-msg [role=alert]")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "subnets");

        await page.GotoAsync($"/#/subnets/{id}");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "History of 10.130.0.2" }).ClickAsync();
        await Expect(page.Locator("tr.history-row table")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit name, gateway and pools" }).ClickAsync();
        await page.GetByLabel("Gateway IP").FillAsync("10.130.0.255");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator("#e-gateway-error")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "subnet");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete subnet…" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "delete dialog");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync("/#/pools");
        await Expect(page.Locator("#pools-table tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet pool" }).ClickAsync();
        await Expect(page.Locator("#pool-msg [role=alert]")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "pools");

        await page.GotoAsync("/#/events");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Live.");
        await Expect(page.Locator("#events-table tbody tr")).Not.ToHaveCountAsync(0);
        await AssertAccessibleAsync(page, "events");
    }

    [Fact]
    public async Task Keyboard_EditASubnetWithoutAMouse()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = await FillAsync(server);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        // The skip link first, then the subnet's link in the table: Enter opens it and focuses its heading.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "10.130.0.0/24" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeFocusedAsync();

        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Edit name, gateway and pools" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("Subnet name")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("typed");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("10.130.0.0/24 · typed");
        Assert.Equal("typed", (string?)(await server.GetJsonAsync($"/v1/subnets/{id}"))["name"]);

        // Escape leaves the form unsaved and puts the focus back on the button that opened it.
        var edit = page.GetByRole(AriaRole.Button, new() { Name = "Edit name, gateway and pools" });
        await edit.PressAsync("Enter");
        await page.Keyboard.TypeAsync("-dropped");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#edit-form")).ToBeHiddenAsync();
        await Expect(edit).ToBeFocusedAsync();
        Assert.Equal("typed", (string?)(await server.GetJsonAsync($"/v1/subnets/{id}"))["name"]);
    }

    /// <summary>A subnet with two allocations (one released and taken again), another subnet, a scope and a pool.</summary>
    private static async Task<string> FillAsync(IpamServer server)
    {
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.130.0.0/24", name = "web" }))["id"]!;
        await server.CreateSubnetAsync(new { cidr = "2001:db8:130::/64", name = "v6" });
        await server.AllocateAsync(id, new { ip_address = "10.130.0.2", owner = "vm-1" });
        await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.130.0.2");
        await server.AllocateAsync(id, new { ip_address = "10.130.0.2", owner = "vm-2" });
        await server.AllocateAsync(id, new { ip_address = "10.130.0.3", owner = "vm-3" });
        var scope = (string)(await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/address-scopes", """{"name":"prod","ip_version":4}"""), 201))["id"]!;
        await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/subnet-pools",
            $$"""{"name":"tenants","prefixes":["10.131.0.0/16"],"default_prefixlen":24,"address_scope_id":"{{scope}}"}"""), 201);
        return id;
    }

    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {target}.");
    }

    internal static async Task AssertAccessibleAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes);
        var violations = result.Violations.Where(v => Failing.Contains(v.Impact ?? "")).ToList();
        Assert.True(violations.Count == 0, $"axe on the {state} page:\n" + string.Join("\n", violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join("; ", v.Nodes.Select(n => $"{n.Target} {n.Html}"))}")));
    }
}
