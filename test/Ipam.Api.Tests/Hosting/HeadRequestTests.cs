using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// HEAD wherever GET (RFC 9110, section 9.3.2): the same status and headers as GET, no body, and the same
/// authentication and authorization. Requests go over raw connections, so that the headers are compared as sent
/// and a body sent after a HEAD answer's headers would be seen (an HTTP client drops it).
/// </summary>
public sealed class HeadRequestTests
{
    /// <summary>Headers that may differ between two answers to the same request, or that the connection decides.</summary>
    private static readonly HashSet<string> PerAnswer = new(StringComparer.OrdinalIgnoreCase) { "Date", "Connection", "Transfer-Encoding" };

    [Fact]
    public async Task Head_EveryKindOfGetResource_SameStatusAndHeadersAsGetAndNoBody()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var subnet = await CreatedIdAsync(client, "/v1/subnets", new { cidr = "10.61.0.0/24" });
        await IpamServer.ExpectAsync(await client.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { ip_address = "10.61.0.9" }), 201);
        var pool = await CreatedIdAsync(client, "/v1/subnet-pools", new { name = "head", prefixes = new[] { "10.62.0.0/16" } });
        var scope = await CreatedIdAsync(client, "/v1/address-scopes", new { name = "head", ip_version = 4 });
        var token = await CreatedIdAsync(client, "/v1/tokens", new { role = "reader", tenant_id = "head" });
        string[] paths =
        [
            "/", "/ui", "/ui/app.js", "/ui/style.css", "/docs", "/docs/", "/openapi/v1.json", "/healthz", "/readyz", "/metrics",
            "/v1/subnets", $"/v1/subnets/{subnet}", $"/v1/subnets/{subnet}/map", $"/v1/subnets/{subnet}/allocations",
            $"/v1/subnets/{subnet}/allocations/10.61.0.9", $"/v1/subnets/{subnet}/allocations/10.61.0.9/history", "/v1/addresses/10.61.0.9",
            "/v1/allocations?owner=nobody", "/v1/subnet-pools", $"/v1/subnet-pools/{pool}", $"/v1/subnet-pools/{pool}/available-prefixes",
            "/v1/address-scopes", $"/v1/address-scopes/{scope}", "/v1/events?limit=5", "/v1/tokens", $"/v1/tokens/{token}",
            "/v1/usage-check", "/v1/backup",

            // Errors too: an unknown subnet, an unknown path, a bad query value.
            $"/v1/subnets/{Guid.NewGuid()}", "/v1/no-such-thing", "/v1/subnets?limit=0",
        ];

        foreach (var path in paths)
        {
            var get = await RawAsync(server, "GET", path, admin);
            var head = await RawAsync(server, "HEAD", path, admin);

            Assert.True(get.Status == head.Status, $"HEAD {path}: {head.Status}, GET: {get.Status}");
            Assert.True(head.Body.Length == 0, $"HEAD {path} sent a body of {head.Body.Length} bytes");

            // A HEAD answer may leave out Content-Length (RFC 9110, section 8.6), but may not contradict GET's.
            if (path == "/metrics")
            {
                // The time of the scrape each answer reports: a second may tick between the two.
                get.Headers.Remove("Last-Modified");
                head.Headers.Remove("Last-Modified");
            }

            var headHasLength = head.Headers.Remove("Content-Length", out var length);
            get.Headers.Remove("Content-Length", out var expected);
            Assert.True(!headHasLength || length == expected, $"HEAD {path}: Content-Length {length}, GET: {expected}");
            Assert.Equal(get.Headers, head.Headers);
        }
    }

    [Fact]
    public async Task Head_WithoutTokenOrWithTooWeakAToken_RefusedAsGetIs()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var reader = (await server.TokenAsync(CallerRole.Reader, "head")).Secret;

        foreach (var (path, token, status) in new (string, string?, int)[]
        {
            ("/v1/subnets", null, 401), ("/v1/subnets", "ipam_not_a_token", 401), ("/v1/tokens", reader, 403), ("/v1/subnets", reader, 200),
            ("/", null, 200), ("/docs/", null, 200), ("/openapi/v1.json", null, 200), ("/healthz", null, 200), ("/readyz", null, 200), ("/metrics", null, 200),
        })
        {
            var (get, head) = (await RawAsync(server, "GET", path, token), await RawAsync(server, "HEAD", path, token));
            Assert.True((get.Status, head.Status) == (status, status), $"{path}: GET {get.Status}, HEAD {head.Status}, expected {status}");
            Assert.Equal(get.Headers.GetValueOrDefault("WWW-Authenticate"), head.Headers.GetValueOrDefault("WWW-Authenticate"));
        }
    }

    [Fact]
    public async Task Head_EventStream_AnswersTheStreamsHeadersAndEnds()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        // A GET of the stream lasts as long as its client; a HEAD ends with its headers.
        var head = await RawAsync(server, "HEAD", "/v1/events", token: null, accept: "text/event-stream");

        Assert.Equal(200, head.Status);
        Assert.Equal("text/event-stream", head.Headers.GetValueOrDefault("Content-Type"));
        Assert.Empty(head.Body);
    }

    [Fact]
    public async Task Endpoints_EveryOneThatAnswersGet_AnswersHead()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var answeringGet = endpoints.Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true).ToList();

        Assert.True(answeringGet.Count > 20, $"Only {answeringGet.Count} GET endpoints were found.");
        Assert.All(answeringGet, e => Assert.Contains(HttpMethods.Head, e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods));
    }

    [Fact]
    public async Task OpenApi_Document_DescribesGetOnly()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject();
        Assert.Contains(paths, p => p.Value!.AsObject().ContainsKey("get"));
        Assert.DoesNotContain(paths, p => p.Value!.AsObject().ContainsKey("head"));
    }

    private static async Task<string> CreatedIdAsync(HttpClient client, string path, object body) =>
        (string)(await IpamServer.ExpectAsync(await client.PostAsJsonAsync(path, body), 201))["id"]!;

    /// <summary>
    /// A request on a connection of its own, read to its end (a guard timeout fails one that never ends): the status,
    /// the headers as sent (less those that may differ between two answers), and every byte after them.
    /// </summary>
    private static async Task<(int Status, SortedDictionary<string, string> Headers, byte[] Body)> RawAsync(
        IpamServer server, string method, string path, string? token, string? accept = null)
    {
        var address = server.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n");
        if (token is not null)
        {
            request.Append($"Authorization: Bearer {token}\r\n");
        }

        if (accept is not null)
        {
            request.Append($"Accept: {accept}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));
        var bytes = received.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"{method} {path}: no complete header block in {bytes.Length} bytes.");
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());

            // The backup's file name carries the time of its copy.
            if (!PerAnswer.Contains(name) && !(path == "/v1/backup" && name == "Content-Disposition"))
            {
                headers[name] = headers.TryGetValue(name, out var before) ? $"{before}, {value}" : value;
            }
        }

        return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, bytes[(end + 4)..]);
    }
}
