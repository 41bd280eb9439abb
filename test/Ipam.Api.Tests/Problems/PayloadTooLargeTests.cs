using System.Net.Http.Headers;
using System.Text;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>Request bodies over 1 MiB: a 413 problem document whether the body has a length or is chunked, and nothing stored.</summary>
public sealed class PayloadTooLargeTests
{
    private const int Limit = 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_OverOneMebibyte_Returns413ProblemAndStoresNothing(bool withLength)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.PostAsync("/v1/subnets", Body(Padded("10.96.0.0/24", Limit + 1), withLength));

        var problem = await IpamServer.ExpectProblemAsync(response, 413, "payload-too-large");
        Assert.Equal(Limit, (long?)problem["limit_bytes"]);
        Assert.Empty((await server.GetJsonAsync("/v1/subnets"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_ExactlyOneMebibyte_Accepted(bool withLength)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.PostAsync("/v1/subnets", Body(Padded("10.97.0.0/24", Limit), withLength));

        await IpamServer.ExpectAsync(response, 201);
    }

    [Fact]
    public async Task Body_OverLimit_OnEveryWritingEndpoint_Returns413()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.98.0.0/24" }))["id"]!;
        var body = Padded(null, Limit + 100);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, $"/v1/subnets/{id}/allocations"),
            (HttpMethod.Patch, $"/v1/subnets/{id}"),
            (HttpMethod.Post, "/v1/subnet-pools"),
            (HttpMethod.Post, "/v1/address-scopes"),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = Body(body, withLength: false) };
            await IpamServer.ExpectProblemAsync(await server.Client.SendAsync(request), 413, "payload-too-large");
        }

        Assert.Equal(0, await Database.CountAllocationsAsync(server, id));
    }

    [Fact]
    public async Task Body_OverTheImportRoutesLargerLimit_Returns413NamingThatLimit()
    {
        const int importLimit = 64 * 1024 * 1024;
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var response = await server.Client.PostAsync("/v1/import", Body(Padded(null, importLimit + 1), withLength: false));

        var problem = await IpamServer.ExpectProblemAsync(response, 413, "payload-too-large");
        Assert.Equal(importLimit, (long?)problem["limit_bytes"]);
        Assert.Contains("64 MiB", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    /// <summary>A JSON object of exactly <paramref name="size"/> bytes: the CIDR (if any) padded with whitespace.</summary>
    private static byte[] Padded(string? cidr, int size)
    {
        var head = cidr is null ? "{" : $"{{\"cidr\": \"{cidr}\"";
        return Encoding.UTF8.GetBytes(head + new string(' ', size - head.Length - 1) + "}");
    }

    /// <summary>The body with a Content-Length, or streamed in chunks of unknown length.</summary>
    private static HttpContent Body(byte[] bytes, bool withLength)
    {
        HttpContent content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A stream whose length is unknown, so that HttpClient sends it with chunked transfer encoding.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
