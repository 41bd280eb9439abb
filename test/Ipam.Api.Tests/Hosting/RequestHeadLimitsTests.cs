using System.Net;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// A request line over 8 KiB, or headers over 32 KiB or 100 lines, on a real Kestrel: a 414 or 431 problem document
/// like every other error, where Kestrel alone answers with an empty body.
/// </summary>
public sealed class RequestHeadLimitsTests
{
    private const int MaxRequestLine = 8 * 1024;

    [Fact]
    public async Task RequestLine_OverEightKibibytes_Returns414Problem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.GetAsync(PathOfRequestLine(MaxRequestLine + 1));

        var problem = await IpamServer.ExpectProblemAsync(response, 414, "uri-too-long");
        Assert.Equal(MaxRequestLine, (int?)problem["limit_bytes"]);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.15", (string?)problem["type"]);
    }

    [Fact]
    public async Task RequestLine_ExactlyEightKibibytes_Answered()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.GetAsync(PathOfRequestLine(MaxRequestLine));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Header_OverThirtyTwoKibibytes_Returns431Problem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/subnets");
        request.Headers.Add("X-Padding", new string('a', 32 * 1024));

        var response = await server.Client.SendAsync(request);

        var problem = await IpamServer.ExpectProblemAsync(response, 431, "headers-too-large");
        Assert.Equal(32 * 1024, (int?)problem["limit_bytes"]);
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-5", (string?)problem["type"]);
    }

    [Fact]
    public async Task Headers_OverOneHundredLines_Returns431Problem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/subnets");
        for (var i = 0; i < 100; i++)
        {
            request.Headers.Add($"X-Header-{i}", "x");
        }

        var response = await server.Client.SendAsync(request);

        var problem = await IpamServer.ExpectProblemAsync(response, 431, "headers-too-large");
        Assert.Equal(100, (int?)problem["limit_headers"]);
    }

    /// <summary>A path to <c>/healthz</c> whose <c>GET … HTTP/1.1</c> request line, its line end included, is <paramref name="bytes"/> long.</summary>
    private static string PathOfRequestLine(int bytes)
    {
        const string path = "/healthz?padding=";
        return path + new string('a', bytes - "GET  HTTP/1.1\r\n".Length - path.Length);
    }
}
