using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// The operator console in headless Chromium against a real server: what an operator does with the forms
/// and buttons, checked on the page and through the API.
/// </summary>
public sealed class WebConsoleBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsoleBrowserTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task CreateForm_NewSubnet_AppearsInTableWithItsUsage()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("CIDR", new() { Exact = true }).FillAsync("10.20.0.0/29");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("web-a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet" }).ClickAsync();

        await Expect(page.Locator("#create-msg")).ToContainTextAsync("Created subnet 10.20.0.0/29 (web-a).");
        var row = SubnetRow(page, "10.20.0.0/29");
        await Expect(row).ToContainTextAsync("web-a");
        await Expect(row.Locator("td[data-label=Gateway]")).ToHaveTextAsync("10.20.0.1");
        await Expect(row.Locator("td[data-label='Allocation pools']")).ToHaveTextAsync("10.20.0.2-10.20.0.6");
        await Expect(row.Locator("td[data-label=Usage]")).ToContainTextAsync("0 / 5 allocated");
        await Expect(row.Locator("td[data-label=Usage]")).ToContainTextAsync("5 free");
        await Expect(row.Locator("td[data-label='Outside pools']")).ToHaveTextAsync("0");

        var subnets = (await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray();
        var created = Assert.Single(subnets)!;
        Assert.Equal("web-a", (string?)created["name"]);
    }

    [Fact]
    public async Task CreateForm_NoGatewayAndExplicitPools_SendsThem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("CIDR", new() { Exact = true }).FillAsync("10.30.0.0/28");
        await page.GetByLabel("None", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Allocation pools").FillAsync("10.30.0.4-10.30.0.6\n10.30.0.9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet" }).ClickAsync();

        var row = SubnetRow(page, "10.30.0.0/28");
        await Expect(row.Locator("td[data-label=Gateway]")).ToHaveTextAsync("none");
        await Expect(row.Locator("td[data-label='Allocation pools']")).ToHaveTextAsync("10.30.0.4-10.30.0.6, 10.30.0.9");
        await Expect(row.Locator("td[data-label=Usage]")).ToContainTextAsync("0 / 4 allocated");

        var subnet = (await server.GetJsonAsync("/v1/subnets"))["items"]![0]!;
        Assert.Null(subnet["gateway_ip"]);
    }

    [Fact]
    public async Task CreateForm_HostBitsSet_ShowsTheFieldErrorReadably()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("CIDR", new() { Exact = true }).FillAsync("10.0.0.5/24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet" }).ClickAsync();

        var alert = page.Locator("#create-msg [role=alert]");
        await Expect(alert).ToContainTextAsync("Could not create the subnet: The request is invalid");
        await Expect(alert).ToContainTextAsync("invalid-request");
        await Expect(alert).ToContainTextAsync("cidr: '10.0.0.5/24' has host bits set; did you mean 10.0.0.0/24?");
        Assert.DoesNotContain("{\"", await alert.TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray());
    }

    [Fact]
    public async Task CreateForm_Invalid_ErrorsMarkedOnTheirFields()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");
        var cidr = page.GetByLabel("CIDR", new() { Exact = true });
        var gateway = page.GetByLabel("Gateway address");
        var pools = page.GetByLabel("Allocation pools");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create subnet" });

        await cidr.FillAsync("10.0.0.5/24");
        await create.ClickAsync();
        await Expect(cidr).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#c-cidr-error")).ToContainTextAsync("host bits set");
        await Expect(cidr).ToBeFocusedAsync();

        await cidr.FillAsync("10.0.0.0/24");
        await gateway.FillAsync("10.0.0.255");
        await create.ClickAsync();
        await Expect(page.Locator("#create-msg [role=alert]")).ToContainTextAsync("invalid-gateway");
        await Expect(gateway).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#c-gateway-error")).Not.ToBeEmptyAsync();
        await Expect(cidr).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#c-cidr-error")).ToHaveCountAsync(0);

        await page.GetByLabel("Default (first host)").CheckAsync();
        await pools.FillAsync("10.0.1.5-10.0.1.9");
        await create.ClickAsync();
        await Expect(page.Locator("#create-msg [role=alert]")).ToContainTextAsync("invalid-allocation-pools");
        await Expect(pools).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(pools).ToBeFocusedAsync();

        await pools.FillAsync("10.0.0.5-10.0.0.6-10.0.0.7");
        await create.ClickAsync();
        await Expect(page.Locator("#c-pools-error")).ToContainTextAsync("is not a range");

        await pools.FillAsync("10.0.0.5-10.0.0.9");
        await create.ClickAsync();
        await Expect(page.Locator("#create-msg")).ToHaveTextAsync("Created subnet 10.0.0.0/24.");
        await Expect(page.Locator("#create-form [aria-invalid=true]")).ToHaveCountAsync(0);
        Assert.Single((await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray());
    }

    [Fact]
    public async Task SubnetsTable_Ipv6Slash64_ShowsExactCountsBeyond2To53()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var v6 = await server.CreateSubnetAsync(new { cidr = "2001:db8::/64", name = "v6" });
        await server.CreateSubnetAsync(new { cidr = "10.1.0.0/24", name = "v4" });
        await server.AllocateAsync(Id(v6), new { strategy = "next" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        // 2^64 minus the subnet-router anycast and gateway addresses; a double would print ...552,000.
        var usage = SubnetRow(page, "2001:db8::/64").Locator("td[data-label=Usage]");
        await Expect(usage).ToContainTextAsync("1 / 18,446,744,073,709,551,614 allocated");
        await Expect(usage).ToContainTextAsync("18,446,744,073,709,551,613 free");

        await page.GetByLabel("Filter").FillAsync("2001:db8");
        await Expect(page.Locator("#subnets-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#subnets-count")).ToHaveTextAsync("1 of 2 subnets shown.");
        await page.GetByLabel("Filter").FillAsync("nothing-like-this");
        await Expect(page.Locator("#subnets-empty")).ToHaveTextAsync("No subnet matches “nothing-like-this”.");
    }

    [Fact]
    public async Task SubnetsTable_UsagePercent_RoundedButNeverFullOrEmptyUnlessItIs()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var few = await server.CreateSubnetAsync(new { cidr = "10.87.0.0/22" });
        var nearlyFull = await server.CreateSubnetAsync(new { cidr = "10.88.0.0/20" });
        var fifth = await server.CreateSubnetAsync(new { cidr = "10.89.0.0/29" });
        var v6 = await server.CreateSubnetAsync(new { cidr = "2001:db8:87::/64" });
        await server.AllocateAsync(Id(few), new { strategy = "next", count = 2 });
        await server.AllocateAsync(Id(nearlyFull), new { strategy = "next", count = 4092 });
        await server.AllocateAsync(Id(fifth), new { strategy = "next" });
        await server.AllocateAsync(Id(v6), new { strategy = "next" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        // 2 of 1,021 is 0.196%; 4,092 of 4,093 is 99.98%: rounded to 100% it would read as full.
        var percent = (string cidr) => SubnetRow(page, cidr).Locator("td[data-label=Usage] .usage-text .muted");
        await Expect(percent("10.87.0.0/22")).ToHaveTextAsync("0.2%");
        await Expect(percent("10.88.0.0/20")).ToHaveTextAsync(">99.9%");
        await Expect(percent("10.89.0.0/29")).ToHaveTextAsync("20%");
        await Expect(percent("2001:db8:87::/64")).ToHaveTextAsync("<0.1%");
        await Expect(SubnetRow(page, "10.88.0.0/20").GetByRole(AriaRole.Meter)).ToHaveAttributeAsync("aria-valuetext", ">99.9% allocated");
    }

    [Fact]
    public async Task AllocateNext_EmptySubnet_ShowsTheLowestAddress()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.40.0.0/29", name = "next" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("10.40.0.0/29 · next");

        await page.GetByLabel("Owner", new() { Exact = true }).First.FillAsync("vm-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 10.40.0.2.");
        var row = page.Locator("#allocations-table tbody tr", new() { HasText = "10.40.0.2" });
        await Expect(row.Locator("td[data-label=Owner]")).ToHaveTextAsync("vm-1");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("1 / 5 allocated");

        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 10.40.0.3.");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("3 free");

        var allocations = (await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations"))["items"]!.AsArray();
        Assert.Equal(["10.40.0.2", "10.40.0.3"], allocations.Select(a => (string)a!["ip_address"]!));
        Assert.Equal("vm-1", (string?)allocations[0]!["owner"]);
    }

    [Fact]
    public async Task AllocateSpecificAndCount_ShowsTheAddresses()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.41.0.0/29" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");

        await page.GetByLabel("Specific address").FillAsync("10.41.0.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate address" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 10.41.0.5.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate address" }).ClickAsync();
        var alert = page.Locator("#alloc-msg [role=alert]");
        await Expect(alert).ToContainTextAsync("address-in-use");
        await Expect(alert).ToContainTextAsync("address 10.41.0.5");

        await page.GetByLabel("Count").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 3 addresses: 10.41.0.2, 10.41.0.3, 10.41.0.4.");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("4 / 5 allocated");
    }

    [Fact]
    public async Task Allocate_ExhaustedSlash30_ShowsPoolExhaustedWithItsNumbers()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.50.0.0/30" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        var alert = page.Locator("#alloc-msg [role=alert]");

        // A /30 has one pool address (network, gateway and broadcast are not in the pool): asking two fails whole.
        await page.GetByLabel("Count").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(alert).ToContainTextAsync("Allocation failed: Allocation pool exhausted");
        await Expect(alert).ToContainTextAsync("pool-exhausted");
        await Expect(alert).ToContainTextAsync("2 addresses were requested (all or nothing), but only 1 of the 1 pool address is free.");
        await Expect(alert).ToContainTextAsync("requested 2");
        await Expect(alert).ToContainTextAsync("free 1");
        await Expect(alert).ToContainTextAsync("pool size 1");
        await Expect(alert).ToContainTextAsync("reason not-enough-free");

        await page.GetByLabel("Count").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 10.50.0.2.");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("1 / 1 allocated");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("100%");

        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate random" }).ClickAsync();
        await Expect(alert).ToContainTextAsync("1 address was requested, but the one address of the allocation pools is allocated.");
        await Expect(alert).ToContainTextAsync("free 0");
        await Expect(alert).ToContainTextAsync("pool size 1");
        await Expect(alert).ToContainTextAsync("allocated 1");
        await Expect(alert).ToContainTextAsync("reason all-allocated");

        var allocations = (await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations"))["items"]!.AsArray();
        Assert.Equal("10.50.0.2", (string?)Assert.Single(allocations)!["ip_address"]);
    }

    [Fact]
    public async Task Release_AllocatedAddress_FreesItAndUndoTakesItBack()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.60.0.0/29" });
        await server.AllocateAsync(Id(subnet), new { strategy = "next", owner = "vm-1" });
        await server.AllocateAsync(Id(subnet), new { strategy = "next", owner = "vm-2" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Release 10.60.0.2" }).ClickAsync();
        await Expect(page.Locator("#list-msg")).ToContainTextAsync("Released 10.60.0.2.");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#allocations-table tbody")).Not.ToContainTextAsync("10.60.0.2");
        await Expect(page.Locator("#detail-usage")).ToContainTextAsync("1 / 5 allocated");
        var released = await server.Client.GetAsync($"/v1/subnets/{Id(subnet)}/allocations/10.60.0.2");
        Assert.Equal(HttpStatusCode.NotFound, released.StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(page.Locator("#list-msg")).ToContainTextAsync("Allocated 10.60.0.2 again.");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(2);
        var back = await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations/10.60.0.2");
        Assert.Equal("vm-1", (string?)back["owner"]);
    }

    [Fact]
    public async Task Keep_AReservation_MadePermanent_OnlyReservationsOfferIt()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.61.0.0/29" });
        await server.AllocateAsync(Id(subnet), new { ip_address = "10.61.0.2", owner = "booting", expires_at = "2099-01-01T00:00:00Z" });
        await server.AllocateAsync(Id(subnet), new { ip_address = "10.61.0.3", owner = "running" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep 10.61.0.3" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Keep 10.61.0.2" }).ClickAsync();

        await Expect(page.Locator("#list-msg")).ToContainTextAsync("Kept 10.61.0.2: it is no longer released automatically.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep 10.61.0.2" })).ToHaveCountAsync(0);
        var kept = await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations/10.61.0.2");
        Assert.Null(kept["expires_at"]);
        Assert.Equal("booting", (string?)kept["owner"]);
    }

    [Fact]
    public async Task Edit_AnAllocation_DescriptionAndReleaseTime_SavedOrRefusedInPlace()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.62.0.0/29" });
        await server.AllocateAsync(Id(subnet), new { ip_address = "10.62.0.2", owner = "vm-9", description = "booting", expires_at = "2099-01-01T00:00:00Z" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        var editor = page.GetByRole(AriaRole.Form, new() { Name = "Edit 10.62.0.2" });
        var releasedAt = editor.GetByLabel("Released automatically at");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit 10.62.0.2" }).ClickAsync();
        await Expect(editor.GetByLabel("Description")).ToHaveValueAsync("booting");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(editor).ToContainTextAsync("Nothing changed.");

        await releasedAt.FillAsync("2001-01-01T00:00");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(editor.Locator(".field-error")).ToContainTextAsync("expires_at must be in the future");
        Assert.Equal("2099-01-01T00:00:00+00:00", Iso((await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations/10.62.0.2"))["expires_at"]));

        await editor.GetByLabel("Description").FillAsync("web server");
        await releasedAt.FillAsync("2100-02-03T04:05");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#list-msg")).ToContainTextAsync("Saved the changes to 10.62.0.2.");
        var expected = await page.EvaluateAsync<string>("new Date('2100-02-03T04:05').toISOString()");
        var saved = await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations/10.62.0.2");
        Assert.Equal(("web server", "vm-9"), ((string?)saved["description"], (string?)saved["owner"]));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), DateTimeOffset.Parse(Iso(saved["expires_at"]), CultureInfo.InvariantCulture));
        await Expect(page.Locator("#allocations-table tbody")).ToContainTextAsync("web server");
        await Expect(editor).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit 10.62.0.2" })).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit 10.62.0.2" }).ClickAsync();
        await editor.GetByLabel("Description").FillAsync("");
        await releasedAt.FillAsync("");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#allocations-table tbody td[data-label=Expires]")).ToHaveTextAsync("never");
        var cleared = await server.GetJsonAsync($"/v1/subnets/{Id(subnet)}/allocations/10.62.0.2");
        Assert.Null(cleared["description"]);
        Assert.Null(cleared["expires_at"]);
    }

    [Fact]
    public async Task Edit_ListRedrawnByAChangeElsewhere_KeepsTheOpenEditorAndWhatWasTyped()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.63.0.0/29" });
        await server.AllocateAsync(Id(subnet), new { ip_address = "10.63.0.3", owner = "vm-3" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        var addresses = page.Locator("#allocations-table tbody td[data-label=Address]");
        await Expect(addresses).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit 10.63.0.3" }).ClickAsync();
        var description = page.GetByRole(AriaRole.Form, new() { Name = "Edit 10.63.0.3" }).GetByLabel("Description");
        await description.FillAsync("half typed");
        await server.AllocateAsync(Id(subnet), new { ip_address = "10.63.0.2", owner = "elsewhere" });

        await Expect(addresses).ToHaveTextAsync(["10.63.0.2", "10.63.0.3"]);
        await Expect(description).ToHaveValueAsync("half typed");
        await Expect(description).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit 10.63.0.3" })).ToHaveAttributeAsync("aria-expanded", "true");
    }

    private static string Iso(System.Text.Json.Nodes.JsonNode? time) =>
        DateTimeOffset.Parse((string)time!, CultureInfo.InvariantCulture).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Allocations_MoreThanOnePage_FollowsTheCursor()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.70.0.0/28" });
        await server.AllocateAsync(Id(subnet), new { strategy = "next", count = 12 });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");
        var rows = page.Locator("#allocations-table tbody tr td[data-label=Address]");
        await Expect(rows).ToHaveCountAsync(12);

        await page.GetByLabel("Per page").SelectOptionAsync("10");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToHaveTextAsync("10.70.0.2");
        await Expect(rows.Last).ToHaveTextAsync("10.70.0.11");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Previous page" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(rows).ToHaveTextAsync(["10.70.0.12", "10.70.0.13"]);
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Page 2: allocations 11–12 (last page)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToHaveTextAsync("10.70.0.2");
    }

    [Theory]
    [InlineData("subnet")]
    [InlineData("allocations")]
    public async Task SubnetPage_LateResponseForTheSubnetLeft_DroppedAndActionsUseTheSubnetShown(string delayed)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var left = Id(await server.CreateSubnetAsync(new { cidr = "10.85.0.0/29", name = "left" }));
        var shown = Id(await server.CreateSubnetAsync(new { cidr = "10.86.0.0/29", name = "shown" }));
        await server.AllocateAsync(left, new { ip_address = "10.85.0.5", owner = "owner-of-left" });
        await server.AllocateAsync(shown, new { ip_address = "10.86.0.5", owner = "owner-of-shown" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;

        // The first subnet's answer is held back until the page has moved on to the second one.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = delayed == "subnet" ? $"/v1/subnets/{left}" : $"/v1/subnets/{left}/allocations";
        page.RequestFinished += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == path)
            {
                answered.TrySetResult();
            }
        };
        await page.RouteAsync(url => new Uri(url).AbsolutePath == path, async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync($"/#/subnets/{left}");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await page.GotoAsync($"/#/subnets/{shown}");
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Expect(heading).ToHaveTextAsync("10.86.0.0/29 · shown");
        await Expect(page.Locator("#allocations-table tbody")).ToContainTextAsync("owner-of-shown");

        release.SetResult();
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await page.WaitForTimeoutAsync(500); // time for a late answer to be (wrongly) shown

        await Expect(heading).ToHaveTextAsync("10.86.0.0/29 · shown");
        await Expect(page.Locator("#detail-facts [data-fact=ID] dd")).ToHaveTextAsync(shown);
        await Expect(page.Locator("#allocations-table tbody tr td[data-label=Owner]")).ToHaveTextAsync(["owner-of-shown"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate next" }).ClickAsync();
        await Expect(page.Locator("#alloc-msg")).ToHaveTextAsync("Allocated 10.86.0.2.");
        Assert.Single((await server.GetJsonAsync($"/v1/subnets/{left}/allocations"))["items"]!.AsArray());
        Assert.Equal(2, (await server.GetJsonAsync($"/v1/subnets/{shown}/allocations"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task DeleteSubnet_WithAllocations_RefusedUntilForceIsTicked()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.80.0.0/29", name = "doomed" });
        await server.AllocateAsync(Id(subnet), new { strategy = "next" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync($"/#/subnets/{Id(subnet)}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete subnet…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete subnet" });
        await Expect(dialog).ToContainTextAsync("It has 1 allocation; they are released only with force.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var alert = dialog.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("in-use");
        await Expect(alert).ToContainTextAsync("still referenced by 1 allocation");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v1/subnets/{Id(subnet)}")).StatusCode);

        await dialog.GetByLabel("Also release all of its allocations (force)").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.Locator("#subnets-msg")).ToHaveTextAsync("Deleted subnet 10.80.0.0/29 (doomed).");
        await Expect(page).ToHaveURLAsync(new Uri(server.Client.BaseAddress!, "/#/").ToString());
        await Expect(page.Locator("#subnets-empty")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/v1/subnets/{Id(subnet)}")).StatusCode);
    }

    [Fact]
    public async Task PoolsPage_ShowsAvailablePrefixesAndScopes()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var scopeResponse = await server.PostJsonAsync("/v1/address-scopes", """{"name":"prod","ip_version":4}""");
        var scopeId = (string)(await IpamServer.ExpectAsync(scopeResponse, 201))["id"]!;
        var poolResponse = await server.PostJsonAsync("/v1/subnet-pools",
            $$"""{"name":"tenants","prefixes":["10.100.0.0/16"],"default_prefixlen":24,"address_scope_id":"{{scopeId}}"}""");
        var pool = await IpamServer.ExpectAsync(poolResponse, 201);
        await server.CreateSubnetAsync(new { subnet_pool_id = Id(pool), name = "from-pool" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Link, new() { Name = "Subnet pools" }).ClickAsync();
        var row = page.Locator("#pools-table tbody tr", new() { HasText = "tenants" });
        await Expect(row.Locator("td[data-label=Prefixes]")).ToHaveTextAsync("10.100.0.0/16");
        await Expect(row.Locator("td[data-label='Address scope']")).ToHaveTextAsync("prod");
        await Expect(row.Locator("td[data-label='Available prefixes'] li")).ToHaveTextAsync(
            ["10.100.1.0/24", "10.100.2.0/23", "10.100.4.0/22", "10.100.8.0/21", "10.100.16.0/20", "10.100.32.0/19", "10.100.64.0/18", "10.100.128.0/17"]);
        await Expect(page.Locator("#scopes-table tbody")).ToContainTextAsync(scopeId);
    }

    [Fact]
    public async Task NarrowScreen_PagesFitWithoutHorizontalScrolling()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var v6 = await server.CreateSubnetAsync(new { cidr = "2001:db8:1234:5678::/64", name = "a-rather-long-subnet-name" });
        await server.AllocateAsync(Id(v6), new { mac_address = "52:54:00:12:34:56", owner = "vm-with-a-long-owner-name" });
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!, width: 360, height: 740);
        var page = console.Page;

        foreach (var (path, text) in new[] { ("/", "2001:db8:1234:5678::/64"), ($"/#/subnets/{Id(v6)}", "5054:ff:fe12:3456"), ("/#/pools", "Address scopes") })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("main")).ToContainTextAsync(text);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            var wide = await page.EvaluateAsync<string[]>(WiderThanScreen);
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 360px screen: {string.Join(", ", wide)}");
        }
    }

    [Fact]
    public async Task Tables_LongTextWithoutSpaces_WrapsWithinTheScreenAndAddressesStayOnOneLine()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var name = new string('n', 255);
        var v6 = await server.CreateSubnetAsync(new { cidr = "2001:db8:1234:5678::/64", name });
        await server.AllocateAsync(Id(v6), new { mac_address = "52:54:00:12:34:56", owner = new string('o', 255), description = new string('d', 255) });
        var scope = await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/address-scopes", $$"""{"name":"{{new string('s', 255)}}","ip_version":4}"""), 201);
        await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/subnet-pools",
            $$"""{"name":"{{new string('p', 255)}}","prefixes":["10.160.0.0/16"],"address_scope_id":"{{Id(scope)}}"}"""), 201);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!, width: 1280, height: 900);
        var page = console.Page;

        await page.GotoAsync("/");
        await Expect(page.Locator("#subnets-table tbody")).ToContainTextAsync(name);
        Assert.Empty(await page.EvaluateAsync<string[]>(Overflowing));

        await page.GotoAsync($"/#/subnets/{Id(v6)}");
        await Expect(page.Locator("#allocations-table tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "History of 2001:db8:1234:5678:5054:ff:fe12:3456" }).ClickAsync();
        await Expect(page.Locator("tr.history-row table tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "long-text-subnet", fullPage: true);
        Assert.Empty(await page.EvaluateAsync<string[]>(Overflowing));

        await page.GotoAsync("/#/pools");
        await Expect(page.Locator("#pools-table tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit subnet pool {new string('p', 255)}" }).ClickAsync();
        await Screenshots.SaveAsync(page, "long-text-pools", fullPage: true);
        Assert.Empty(await page.EvaluateAsync<string[]>(Overflowing));

        await page.GotoAsync("/#/events");
        await Expect(page.Locator("#events-table tbody tr")).ToHaveCountAsync(4);
        Assert.Empty(await page.EvaluateAsync<string[]>(Overflowing));
    }

    /// <summary>
    /// What does not fit a 1280px screen: the page or a table scrolling sideways, a button, heading or message past
    /// the right edge of the screen, an address or CIDR broken over two lines.
    /// </summary>
    private const string Overflowing = """
        () => {
            const screen = document.documentElement.clientWidth;
            const shown = (e) => e.getClientRects().length > 0;
            const found = [];
            if (document.documentElement.scrollWidth > screen) found.push(`the page is ${document.documentElement.scrollWidth}px wide`);
            for (const wrap of [...document.querySelectorAll(".table-wrap")].filter(shown)) {
                if (wrap.scrollWidth > wrap.clientWidth + 1) found.push(`#${wrap.querySelector("table").id} is ${wrap.scrollWidth}px wide in ${wrap.clientWidth}px`);
            }
            for (const e of [...document.querySelectorAll("main button, main h1, main h2, main .msg")].filter(shown)) {
                if (e.getBoundingClientRect().right > screen) found.push(`${e.tagName.toLowerCase()} “${e.textContent.slice(0, 30)}” ends at ${Math.round(e.getBoundingClientRect().right)}px`);
            }
            const addresses = "td[data-label=Address] .mono, td[data-label=CIDR] a, td[data-label=Gateway] .mono, td[data-label=ID] .mono, td[data-label='Available prefixes'] li";
            for (const e of [...document.querySelectorAll(addresses)].filter(shown)) {
                if (e.getClientRects().length > 1 || e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).fontSize)) found.push(`${e.textContent} is on more than one line`);
            }
            return found;
        }
        """;

    /// <summary>The innermost visible elements that reach past the right edge of the screen.</summary>
    private const string WiderThanScreen = """
        () => [...document.querySelectorAll("body *")]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
            .slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} (${Math.round(e.getBoundingClientRect().right)}px)`)
        """;

    private static ILocator SubnetRow(IPage page, string cidr) =>
        page.Locator("#subnets-table tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = cidr, Exact = true }) });

    private static string Id(JsonObject resource) => (string)resource["id"]!;
}
