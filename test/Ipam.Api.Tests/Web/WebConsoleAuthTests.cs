using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// The console against a server that requires tokens: one question in a dialog for the requests refused together,
/// then every request acts as that token; Cancel is not asked again, the header enters, changes or forgets the token.
/// </summary>
public sealed class WebConsoleAuthTests(Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>Counts the token dialogs opened since the page loaded, in <c>window.tokenDialogs</c>.</summary>
    private const string CountTokenDialogs = """
        window.tokenDialogs = 0;
        const showModal = HTMLDialogElement.prototype.showModal;
        HTMLDialogElement.prototype.showModal = function () {
            if (this.id === "token-dialog") window.tokenDialogs++;
            return showModal.call(this);
        };
        """;

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
        await page.AddInitScriptAsync(CountTokenDialogs);

        // The subnets, the subnet pools and the address scopes are asked for at once, and each is refused.
        await page.GotoAsync("/");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API token needed" });
        var input = dialog.GetByLabel("API token");
        await Expect(input).ToBeFocusedAsync();
        await Expect(input).ToHaveAttributeAsync("type", "password");
        await input.FillAsync(token.Secret);
        await input.PressAsync("Enter");

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#subnets-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#subnets-table tbody")).ToContainTextAsync("ours");
        await Expect(page.Locator("#subnets-msg")).ToBeEmptyAsync();
        await page.GotoAsync("/#/pools");
        await Expect(page.Locator("#pools-empty")).ToBeVisibleAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("window.tokenDialogs"));
        Assert.Equal(token.Secret, await page.EvaluateAsync<string>("sessionStorage.getItem('ipam.token')"));
    }

    [Fact]
    public async Task SubnetsPage_AuthOn_CancelledOnce_NotAskedAgainUntilEnterTokenThenSignOutForgetsIt()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var member = await server.ClientAsync(CallerRole.Member, "tenant-a");
        await IpamServer.ExpectAsync(await member.PostAsJsonAsync("/v1/subnets", new { cidr = "10.69.0.0/24", name = "ours" }), 201);
        var token = await server.TokenAsync(CallerRole.Member, "tenant-a");
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.AddInitScriptAsync(CountTokenDialogs);
        await page.GotoAsync("/");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API token needed" });
        await Expect(dialog).ToBeVisibleAsync();
        await WebConsoleAccessibilityTests.AssertAccessibleAsync(page, "token dialog");
        await Screenshots.SaveAsync(page, "token-dialog");

        // Escape cancels: the requests refused together, and those that follow, fail without asking again.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#subnets-msg [role=alert]")).ToContainTextAsync("Authentication required");
        await Expect(page.Locator("#pools-msg [role=alert]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.Locator("#subnets-msg [role=alert]")).ToContainTextAsync("Authentication required");
        Assert.Equal(1, await page.EvaluateAsync<int>("window.tokenDialogs"));

        var enter = page.GetByRole(AriaRole.Button, new() { Name = "Enter token…" });
        await enter.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await enter.ClickAsync();
        await dialog.GetByLabel("API token").FillAsync(token.Secret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use this token" }).ClickAsync();
        await Expect(page.Locator("#subnets-table tbody")).ToContainTextAsync("ours");
        await Expect(enter).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change token…" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "token-signed-in");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#subnets-msg [role=alert]")).ToContainTextAsync("Authentication required");
        await Expect(enter).ToBeVisibleAsync();
        await Expect(page.Locator("#subnets-table tbody tr")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('ipam.token')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("window.tokenDialogs"));
    }

    [Fact]
    public async Task AuthOn_StoredTokenRefused_SaysTheTokenWasRefused()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        await page.AddInitScriptAsync("sessionStorage.setItem('ipam.token', 'ipam_not-a-token');");
        await page.GotoAsync("/");

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API token refused" });
        await Expect(dialog).ToContainTextAsync("The server refused the API token: it is unknown, expired or revoked.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        var alert = page.Locator("#subnets-msg [role=alert]");
        await Expect(alert).ToContainTextAsync("The token is unknown, expired or revoked.");
        await Expect(alert).Not.ToContainTextAsync("Send an API token");

        // The events feed, refused the token the same way.
        await page.GotoAsync("/#/events");
        await page.ReloadAsync();
        await dialog.GetByLabel("API token").PressAsync("Escape");
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("Not following: the server refused the API token (Enter token… at the top of the page).");
    }
}
