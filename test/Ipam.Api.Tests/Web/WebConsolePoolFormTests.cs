using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>Creating address scopes and creating and editing subnet pools on the console's pools page.</summary>
public sealed class WebConsolePoolFormTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsolePoolFormTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task CreateScopeAndPool_ThenEditThePool_ShownAndStored()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/pools");

        await page.GetByLabel("Scope name").FillAsync("prod");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create address scope" }).ClickAsync();
        await Expect(page.Locator("#scope-msg")).ToHaveTextAsync("Created address scope prod.");
        await Expect(page.Locator("#scopes-table tbody tr")).ToContainTextAsync("prod");

        await page.GetByLabel("Pool name").FillAsync("tenants");
        await page.GetByLabel("Prefixes").FillAsync("10.110.0.0/16");
        await page.GetByLabel("Default prefix length").FillAsync("24");
        await page.GetByLabel("Address scope", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "prod (IPv4)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet pool" }).ClickAsync();
        await Expect(page.Locator("#pool-msg")).ToHaveTextAsync("Created subnet pool tenants.");
        var row = page.Locator("#pools-table tbody tr", new() { HasText = "tenants" });
        await Expect(row.Locator("td[data-label='Address scope']")).ToHaveTextAsync("prod");
        await Expect(row.Locator("td[data-label='Prefix lengths']")).ToHaveTextAsync("min /8 · default /24 · max /32");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit subnet pool tenants" }).ClickAsync();
        await Expect(page.Locator("#pool-form-title")).ToHaveTextAsync("Edit subnet pool tenants");
        await Expect(page.GetByLabel("Pool name")).ToBeFocusedAsync();
        await page.GetByLabel("Pool name").FillAsync("tenants-2");
        await page.GetByLabel("Prefixes").FillAsync("10.110.0.0/16\n10.111.0.0/16");
        await page.GetByLabel("Default quota").FillAsync("512");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save subnet pool" }).ClickAsync();

        await Expect(page.Locator("#pool-msg")).ToHaveTextAsync("Saved subnet pool tenants-2.");
        row = page.Locator("#pools-table tbody tr", new() { HasText = "tenants-2" });
        await Expect(row.Locator("td[data-label=Prefixes]")).ToHaveTextAsync("10.110.0.0/15");
        await Expect(row.Locator("td[data-label=Quota]")).ToHaveTextAsync("512");
        await Expect(page.Locator("#pool-form-title")).ToHaveTextAsync("Create a subnet pool");
        var pool = (await server.GetJsonAsync("/v1/subnet-pools"))["items"]![0]!;
        Assert.Equal("tenants-2", (string?)pool["name"]);
        Assert.Equal(512, (int?)pool["default_quota"]);
        Assert.Equal(24, (int?)pool["default_prefixlen"]);
    }

    [Fact]
    public async Task EditAndCreatePool_QuotaAbove2To53_KeptExactAndAnUnchangedFormSendsNothing()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/subnet-pools",
            """{"name":"big","prefixes":["10.150.0.0/16"],"default_quota":1152921504606846977}"""), 201);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var sent = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method is "PATCH" or "POST" && request.Url.Contains("/v1/subnet-pools", StringComparison.Ordinal))
            {
                sent.Add($"{request.Method} {request.PostData}");
            }
        };
        await page.GotoAsync("/#/pools");
        var row = page.Locator("#pools-table tbody tr", new() { HasText = "big" });
        await Expect(row.Locator("td[data-label=Quota]")).ToHaveTextAsync("1,152,921,504,606,846,977");
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save subnet pool" });

        // 2^60 + 1 is no double: read as one and written back, it would become 1152921504606847000.
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit subnet pool big" }).ClickAsync();
        await Expect(page.GetByLabel("Default quota")).ToHaveValueAsync("1152921504606846977");
        await save.ClickAsync();
        await Expect(page.Locator("#pool-msg")).ToHaveTextAsync("Nothing changed.");
        Assert.Empty(sent);

        await page.GetByLabel("Default quota").FillAsync("1152921504606846979");
        await save.ClickAsync();
        await Expect(page.Locator("#pool-msg")).ToHaveTextAsync("Saved subnet pool big.");
        Assert.Equal(["""PATCH {"default_quota":1152921504606846979}"""], sent);
        Assert.Equal(1152921504606846979L, (long?)(await server.GetJsonAsync("/v1/subnet-pools"))["items"]![0]!["default_quota"]);

        await page.GetByLabel("Pool name").FillAsync("bigger");
        await page.GetByLabel("Prefixes").FillAsync("10.151.0.0/16");
        await page.GetByLabel("Default quota").FillAsync("9223372036854775807");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subnet pool" }).ClickAsync();
        await Expect(page.Locator("#pool-msg")).ToHaveTextAsync("Created subnet pool bigger.");
        await Expect(page.Locator("#pools-table tbody tr", new() { HasText = "bigger" }).Locator("td[data-label=Quota]"))
            .ToHaveTextAsync("9,223,372,036,854,775,807");
        var created = (await server.GetJsonAsync("/v1/subnet-pools"))["items"]!.AsArray().Single(p => (string?)p!["name"] == "bigger")!;
        Assert.Equal(long.MaxValue, (long?)created["default_quota"]);
    }

    [Fact]
    public async Task CreatePool_Invalid_ServerErrorsShownOnTheirFields()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var scope = (string)(await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/address-scopes", """{"name":"prod","ip_version":4}"""), 201))["id"]!;
        await IpamServer.ExpectAsync(await server.PostJsonAsync("/v1/subnet-pools",
            $$"""{"name":"first","prefixes":["10.120.0.0/16"],"address_scope_id":"{{scope}}"}"""), 201);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.GotoAsync("/#/pools");
        var prefixes = page.GetByLabel("Prefixes");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create subnet pool" });

        await page.GetByLabel("Pool name").FillAsync("second");
        await prefixes.FillAsync("10.120.0.5/16");
        await create.ClickAsync();
        await Expect(prefixes).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#p-prefixes-error")).ToContainTextAsync("host bits");

        await prefixes.FillAsync("10.120.128.0/17");
        await page.GetByLabel("Address scope", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "prod (IPv4)" });
        await create.ClickAsync();
        await Expect(page.Locator("#pool-msg [role=alert]")).ToContainTextAsync("prefix-overlap");
        await Expect(page.Locator("#p-prefixes-error")).ToContainTextAsync("10.120.0.0/16");

        await page.GetByLabel("Address scope", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "None" });
        await page.GetByLabel("Minimum prefix length").FillAsync("28");
        await page.GetByLabel("Maximum prefix length").FillAsync("24");
        await create.ClickAsync();
        await Expect(page.Locator("#pool-msg [role=alert]")).ToContainTextAsync("invalid-request");
        await Expect(page.Locator("#p-prefixes-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("[aria-invalid=true]").First).ToBeFocusedAsync();

        Assert.Single((await server.GetJsonAsync("/v1/subnet-pools"))["items"]!.AsArray());
    }
}
