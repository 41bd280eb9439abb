using System.Net;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// The Host header a request may carry: on loopback-only listeners the loopback names (so a web page cannot
/// reach the service by DNS rebinding), otherwise the configured list.
/// </summary>
public sealed class HostFilteringTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:5080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:1234")]
    [InlineData("[::1]")]
    [InlineData("[::1]:5080")]
    public async Task LoopbackListener_LoopbackHost_Accepted(string host)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await SendAsync(server, host, "/v1/subnets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5080")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("10.0.0.1")]
    [InlineData("localhost.evil.example")]
    public async Task LoopbackListener_OtherHost_Returns400Problem(string host)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        foreach (var path in new[] { "/v1/subnets", "/", "/healthz", "/openapi/v1.json" })
        {
            var response = await SendAsync(server, host, path);

            await IpamServer.ExpectProblemAsync(response, 400, "host-not-allowed");
        }

        Assert.Empty((await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray());
    }

    [Fact]
    public async Task LoopbackListener_OtherHost_CannotWrite()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/subnets")
        {
            Content = new StringContent("""{"cidr": "10.99.0.0/24"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "rebound.example";

        await IpamServer.ExpectProblemAsync(await server.Client.SendAsync(request), 400, "host-not-allowed");
        Assert.Empty((await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray());
    }

    [Fact]
    public async Task ConfiguredHosts_ReplaceTheLoopbackDefault()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false,
            configure: o => o with { AllowedHosts = ["ipam.example", "*.ipam.test"] });

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "ipam.example:5080", "/v1/subnets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "a.ipam.test", "/v1/subnets")).StatusCode);
        await IpamServer.ExpectProblemAsync(await SendAsync(server, "localhost", "/v1/subnets"), 400, "host-not-allowed");
        await IpamServer.ExpectProblemAsync(await SendAsync(server, "evil.example", "/v1/subnets"), 400, "host-not-allowed");
    }

    [Fact]
    public async Task AllowedHostsSetting_UsedWhenTheOptionIsNotGiven()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-api-hosts-");
        await using var app = IpamHost.Build(
            new IpamHostOptions
            {
                Urls = "http://127.0.0.1:0",
                Database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory.FullName, "ipam.db")),
                DurableCommits = false,
            },
            builder => builder.Configuration[Ipam.Api.Hosting.AllowedHosts.ConfigurationKey] = "configured.example");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Headers = { Host = "configured.example" } };
        using var refused = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Headers = { Host = "localhost" } };

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(allowed, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(refused, TestContext.Current.CancellationToken)).StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task NonLoopbackListener_AnyHostByDefault()
    {
        // Authentication (on by default here) is not what this test is about; host filtering runs before it either way.
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, configure: o => o with { Urls = "http://0.0.0.0:0", Authentication = false });

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "ipam.internal.example", "/v1/subnets")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/subnets")]
    [InlineData("/v1/subnets/not-a-uuid")]
    [InlineData("/no/such/path")]
    [InlineData("/healthz")]
    [InlineData("/")]
    [InlineData("/ui/app.js")]
    public async Task EveryResponse_CarriesSecurityHeaders(string path)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        foreach (var host in new[] { "127.0.0.1", "evil.example" })
        {
            var response = await SendAsync(server, host, path);

            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.Equal("DENY", Single(response, "X-Frame-Options"));
            Assert.Contains("frame-ancestors 'none'", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ApiResponses_AllowNoActiveContent()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.GetAsync("/v1/subnets");

        Assert.StartsWith("default-src 'none'", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);

    private static async Task<HttpResponseMessage> SendAsync(IpamServer server, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await server.Client.SendAsync(request);
    }
}
