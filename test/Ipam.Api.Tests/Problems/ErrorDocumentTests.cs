using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// Requests no endpoint answers still get a problem document with a stable code, and every error is a problem
/// document whatever the request's <c>Accept</c> names.
/// </summary>
public sealed class ErrorDocumentTests
{
    [Fact]
    public async Task UnknownRoute_Get_ProblemWithNotFoundCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.GetAsync("/v1/no-such-thing");
        await IpamServer.ExpectProblemAsync(response, 404, "not-found");
    }

    [Fact]
    public async Task WrongMethod_PutOnSubnets_ProblemWithMethodNotAllowedCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.PutAsync("/v1/subnets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await IpamServer.ExpectProblemAsync(response, 405, "method-not-allowed");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task CompressedBody_415NamingTheEncodingAndChangesNothing(string encoding)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        using var body = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync("""{"cidr":"10.77.0.0/24"}"""u8.ToArray());
        }

        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        var response = await server.Client.PostAsync("/v1/subnets", content);

        var problem = await IpamServer.ExpectProblemAsync(response, 415, "unsupported-media-type");
        Assert.Contains($"'{encoding}'", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());
        Assert.Empty((await IpamServer.ExpectAsync(await server.Client.GetAsync("/v1/subnets"), 200))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task Errors_AcceptWithoutJson_StillAProblemDocument(string accept)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);

        var unauthenticated = await server.Client.SendAsync(Request(HttpMethod.Get, "/v1/events", accept), HttpCompletionOption.ResponseHeadersRead);
        var problem = await IpamServer.ExpectProblemAsync(unauthenticated, 401, "unauthenticated");
        Assert.False(string.IsNullOrEmpty((string?)problem["trace_id"]), problem.ToJsonString());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.2", (string?)problem["type"]);

        var token = (await server.TokenAsync(Ipam.Changes.CallerRole.Admin, null)).Secret;
        var unknown = Request(HttpMethod.Get, "/v1/no-such-thing", accept);
        unknown.Headers.Authorization = new("Bearer", token);
        await IpamServer.ExpectProblemAsync(await server.Client.SendAsync(unknown), 404, "not-found");
        var invalid = Request(HttpMethod.Post, "/v1/subnets", accept);
        invalid.Headers.Authorization = new("Bearer", token);
        invalid.Content = new StringContent("""{"cidr": "10.0.0.0/33"}""", System.Text.Encoding.UTF8, "application/json");
        await IpamServer.ExpectProblemAsync(await server.Client.SendAsync(invalid), 400, "invalid-request");
    }

    [Fact]
    public async Task UnexpectedError_Detail_NamesTheTraceIdOfTheDocument()
    {
        await using var server = await IpamServer.StartAsync(random: new FailingRandom(), durableCommits: false);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.0.0.0/24" });

        var response = await server.PostJsonAsync($"/v1/subnets/{(string)subnet["id"]!}/allocations", "{}");

        var problem = await IpamServer.ExpectProblemAsync(response, 500, "internal-error");
        var traceId = (string)problem["trace_id"]!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", traceId);
        Assert.Contains(traceId, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string accept)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private sealed class FailingRandom : Ipam.Allocations.IRandomSource
    {
        public UInt128 NextBelow(UInt128 bound) => throw new InvalidOperationException("A fault the handler does not know.");
    }
}
