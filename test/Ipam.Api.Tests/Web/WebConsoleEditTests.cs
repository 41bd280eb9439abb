using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>Editing a subnet in place: name, gateway and allocation pools, and the server's errors on the field they concern.</summary>
public sealed class WebConsoleEditTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsoleEditTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Edit_NameGatewayAndPools_SavedAndShown()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.90.0.0/24", name = "before" }));
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("10.90.0.0/24 · before");

        var edit = page.GetByRole(AriaRole.Button, new() { Name = "Edit name, gateway and pools" });
        await edit.ClickAsync();
        await Expect(edit).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByLabel("Subnet name")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Gateway IP")).ToHaveValueAsync("10.90.0.1");
        await Expect(page.GetByLabel("Allocation pool ranges")).ToHaveValueAsync("10.90.0.2-10.90.0.254");
        await page.GetByLabel("Subnet name").FillAsync("after");
        await page.GetByLabel("Gateway IP").FillAsync("10.90.0.254");
        await page.GetByLabel("Allocation pool ranges").FillAsync("10.90.0.10-10.90.0.19\n10.90.0.30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.Locator("#detail-msg")).ToHaveTextAsync("Saved the changes to 10.90.0.0/24.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("10.90.0.0/24 · after");
        await Expect(page.Locator("[data-fact=Gateway] dd")).ToHaveTextAsync("10.90.0.254");
        await Expect(page.Locator("[data-fact='Allocation pools'] dd")).ToHaveTextAsync("10.90.0.10-10.90.0.19, 10.90.0.30");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("0 / 11 allocated");
        await Expect(page.Locator("#edit-form")).ToBeHiddenAsync();
        await Expect(edit).ToBeFocusedAsync();
        var saved = await server.GetJsonAsync($"/v1/subnets/{id}");
        Assert.Equal("after", (string?)saved["name"]);
        Assert.Equal("10.90.0.254", (string?)saved["gateway_ip"]);
        Assert.Equal(["10.90.0.10-10.90.0.19", "10.90.0.30-10.90.0.30"], ApiFixture.PoolsOf(saved));

        // An emptied gateway field removes the gateway.
        await edit.ClickAsync();
        await page.GetByLabel("Gateway IP").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator("[data-fact=Gateway] dd")).ToHaveTextAsync("none");
        Assert.Null((await server.GetJsonAsync($"/v1/subnets/{id}"))["gateway_ip"]);
    }

    [Fact]
    public async Task Edit_InvalidGatewayThenPools_ServerErrorsShownOnTheirFields()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.91.0.0/24", name = "kept" }));
        await server.AllocateAsync(id, new { ip_address = "10.91.0.50", owner = "vm-1" });
        var before = (await server.GetJsonAsync($"/v1/subnets/{id}")).ToJsonString();
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit name, gateway and pools" }).ClickAsync();
        var gateway = page.GetByLabel("Gateway IP");
        var pools = page.GetByLabel("Allocation pool ranges");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save changes" });

        await gateway.FillAsync("10.91.0.255");
        await save.ClickAsync();
        await Expect(gateway).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(gateway).ToBeFocusedAsync();
        await Expect(page.Locator("#e-gateway-error")).ToContainTextAsync("broadcast");
        await Expect(gateway).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("Empty: no gateway\\. .*broadcast"));
        await Expect(page.Locator("#edit-msg [role=alert]")).ToContainTextAsync("invalid-gateway");

        // An address someone holds cannot become the gateway: a 409 without field errors, shown on the field all the same.
        await gateway.FillAsync("10.91.0.50");
        await save.ClickAsync();
        await Expect(page.Locator("#edit-msg [role=alert]")).ToContainTextAsync("address-in-use");
        await Expect(page.Locator("#e-gateway-error")).ToContainTextAsync("10.91.0.50");

        await gateway.FillAsync("10.91.0.1");
        await pools.FillAsync("10.91.0.10-10.91.1.20");
        await save.ClickAsync();
        await Expect(pools).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(pools).ToBeFocusedAsync();
        await Expect(page.Locator("#e-pools-error")).Not.ToBeEmptyAsync();
        await Expect(gateway).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#e-gateway-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#edit-msg [role=alert]")).ToContainTextAsync("invalid-allocation-pools");

        // Text that is no range is caught before it is sent.
        await pools.FillAsync("10.91.0.10-10.91.0.20-10.91.0.30");
        await save.ClickAsync();
        await Expect(page.Locator("#e-pools-error")).ToContainTextAsync("is not a range");

        Assert.Equal(before, (await server.GetJsonAsync($"/v1/subnets/{id}")).ToJsonString());
    }

    private static string Id(JsonObject resource) => (string)resource["id"]!;
}
