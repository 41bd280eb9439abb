using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>The console against a server that requires tokens: one prompt, then every request acts as that token.</summary>
public sealed class WebConsoleAuthTests(Chromium chromium) : IClassFixture<Chromium>
{
    static WebConsoleAuthTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task SubnetsPage_AuthOn_AsksOnceForTheRequestsRefusedTogether_ThenShowsTheTenantsSubnets()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var member = await server.ClientAsync(CallerRole.Member, "tenant-a");
        var other = await server.ClientAsync(CallerRole.Member, "tenant-b");
        await IpamServer.ExpectAsync(await member.PostAsJsonAsync("/v1/subnets", new { cidr = "10.67.0.0/24", name = "ours" }), 201);
        await IpamServer.ExpectAsync(await other.PostAsJsonAsync("/v1/subnets", new { cidr = "10.68.0.0/24", name = "theirs" }), 201);
        var token = await server.TokenAsync(CallerRole.Member, "tenant-a");
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var prompts = 0;
        page.Dialog += async (_, dialog) =>
        {
            prompts++;
            await dialog.AcceptAsync(token.Secret);
        };

        // The subnets, the subnet pools and the address scopes are asked for at once, and each is refused.
        await page.GotoAsync("/");

        await Expect(page.Locator("#subnets-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#subnets-table tbody")).ToContainTextAsync("ours");
        await Expect(page.Locator("#subnets-msg")).ToBeEmptyAsync();
        await page.GotoAsync("/#/pools");
        await Expect(page.Locator("#pools-empty")).ToBeVisibleAsync();
        Assert.Equal(1, prompts);
    }
}
