using System.Net;
using System.Text;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// A web page of another origin cannot make a browser change anything (cross-site request forgery), with
/// authentication off as on loopback by default; clients that are not browsers and the console (same origin) can.
/// </summary>
public abstract class CrossOriginProtectionTests(ApiFixture api)
{
    /// <summary>The headers a browser sends for a page of another origin (and, for Origin: null, a sandboxed one).</summary>
    public static TheoryData<string?, string?> CrossOrigin => new()
    {
        { null, "http://evil.example" },
        { null, "null" },
        { null, "https://127.0.0.1" },
        { null, "http://127.0.0.1.evil.example" },
        { null, "http://127.0.0.1:1" },
        { "cross-site", null },
        { "cross-site", "http://evil.example" },
        { "same-site", "http://other.localhost" },
        { "cross-site", "{own}" },
    };

    [Theory]
    [MemberData(nameof(CrossOrigin))]
    public async Task Allocate_FromAnotherOriginWithoutBody_Returns403AndAllocatesNothing(string? site, string? origin)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.181.0.0/24" }));

        foreach (var client in api.Server.InstanceClients)
        {
            using var request = Browser(client, HttpMethod.Post, $"/v1/subnets/{id}/allocations", site, origin);
            var problem = await IpamServer.ExpectProblemAsync(await client.SendAsync(request), 403, "cross-origin-refused");

            Assert.Contains("another origin", (string?)problem["detail"], StringComparison.Ordinal);
        }

        Assert.Empty(await api.AllocatedAddressesAsync(id));
    }

    [Theory]
    [MemberData(nameof(CrossOrigin))]
    public async Task Changes_FromAnotherOrigin_Return403AndChangeNothing(string? site, string? origin)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.181.1.0/24", name = "before" }));
        await api.AllocateAsync(id, new { ip_address = "10.181.1.9" });
        var before = await api.SnapshotAsync(id);

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Post, "/v1/subnets", """{"cidr": "10.181.2.0/24"}"""),
            (HttpMethod.Patch, $"/v1/subnets/{id}", """{"name": "after"}"""),
            (HttpMethod.Delete, $"/v1/subnets/{id}/allocations/10.181.1.9", null),
            (HttpMethod.Delete, $"/v1/subnets/{id}?force=true", null),
            (HttpMethod.Put, $"/v1/subnets/{id}", """{"name": "after"}"""),
            (HttpMethod.Post, "/v1/tokens", """{"role": "admin"}"""),
        })
        {
            using var request = Browser(api.Client, method, path, site, origin, body);
            await IpamServer.ExpectProblemAsync(await api.Client.SendAsync(request), 403, "cross-origin-refused");
        }

        Assert.Equal(before, await api.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("same-origin", "{own}")]
    [InlineData("none", null)]
    [InlineData(null, "{own}")]
    [InlineData(null, null)]
    public async Task Allocate_FromTheSameOriginOrNotABrowser_Allowed(string? site, string? origin)
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.181.3.0/24" }));

        foreach (var client in api.Server.InstanceClients)
        {
            using var request = Browser(client, HttpMethod.Post, $"/v1/subnets/{id}/allocations", site, origin, "{}");
            await IpamServer.ExpectAsync(await client.SendAsync(request), 201);
        }

        Assert.Equal(api.Server.InstanceClients.Count, (await api.AllocatedAddressesAsync(id)).Count);
    }

    [Fact]
    public async Task Reads_FromAnotherOrigin_AreNotRefused()
    {
        var id = Id(await api.CreateSubnetAsync(new { cidr = "10.181.4.0/24" }));

        using var request = Browser(api.Client, HttpMethod.Get, $"/v1/subnets/{id}", "cross-site", "http://evil.example");

        AssertStatus(await api.Client.SendAsync(request), HttpStatusCode.OK);
    }

    /// <summary>
    /// A request as a browser sends it: with <paramref name="site"/> as Sec-Fetch-Site and <paramref name="origin"/> as
    /// Origin when given ("{own}": the origin of <paramref name="client"/>'s server), and a JSON body when given.
    /// </summary>
    private static HttpRequestMessage Browser(HttpClient client, HttpMethod method, string path, string? site, string? origin, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin == "{own}" ? client.BaseAddress!.GetLeftPart(UriPartial.Authority) : origin);
        }

        return request;
    }
}

public sealed class CrossOriginProtectionTestsOnSqlite(SqliteApiFixture api) : CrossOriginProtectionTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CrossOriginProtectionTestsOnPostgres(PostgresApiFixture api) : CrossOriginProtectionTests(api), IClassFixture<PostgresApiFixture>;

public sealed class CrossOriginProtectionTestsOnThreeInstances(ThreeInstancesApiFixture api) : CrossOriginProtectionTests(api), IClassFixture<ThreeInstancesApiFixture>;
