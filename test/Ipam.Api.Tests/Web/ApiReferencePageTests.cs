using Ipam.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// The API reference at <c>/docs</c> works where the server has no way out: it loads only from the server that
/// serves it, and its request client does not report its use anywhere.
/// </summary>
public sealed class ApiReferencePageTests(Chromium chromium) : IClassFixture<Chromium>
{
    static ApiReferencePageTests() => SetDefaultExpectTimeout(15_000);

    [Fact]
    public async Task Docs_Rendered_AsksOnlyTheServerThatServesIt()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        await using var console = await chromium.OpenAsync(server.Client.BaseAddress!);
        var page = console.Page;
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != server.Client.BaseAddress!.Authority)
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync("/docs");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "get /v1/subnets/{id}", Exact = true })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.True(elsewhere.Count == 0, "Requests to other hosts:\n" + string.Join("\n", elsewhere));
    }

    [Fact]
    public async Task Docs_Configuration_TurnsTelemetryAndOutsideFontsOff()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var html = await server.Client.GetStringAsync("/docs");

        Assert.Contains("\"telemetry\":false", html.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", html.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
