using System.Net.Http.Headers;
using System.Text;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// Bytes that are not UTF-8 inside a JSON string: 400 <c>invalid-request</c> saying so and naming the field, whether
/// the field is read by the serializer or kept as a JSON element (where null and absent differ), and nothing changed.
/// </summary>
public abstract class InvalidUtf8Tests(ApiFixture api) : BadInputTestBase(api)
{
    [Theory]
    [InlineData("new subnet")]
    [InlineData("subnet")]
    [InlineData("pool")]
    public async Task Write_NameNotUtf8_Returns400SayingTheBodyIsNotUtf8(string target)
    {
        var subnet = await CanaryAsync();
        var pool = Id(await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.65.0.0/16" } }), 201));
        var body = target == "new subnet" ? Body("""{"cidr": "10.66.1.0/24", "name": "a""", """b"}""") : Body("""{"name": "a""", """b"}""");

        var problem = await RejectedAsync(() => target switch
        {
            "subnet" => Api.Client.PatchAsync($"/v1/subnets/{subnet}", body),
            "pool" => Api.Client.PatchAsync($"/v1/subnet-pools/{pool}", body),
            _ => Api.Client.PostAsync("/v1/subnets", body),
        }, "invalid-request", subnet);

        Assert.Equal("The body is not valid UTF-8 (in name).", (string?)problem["errors"]!["name"]![0]);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnet-pools/{pool}"), System.Net.HttpStatusCode.NoContent);
    }

    /// <summary>A JSON body of <paramref name="before"/>, two bytes that never occur in UTF-8, and <paramref name="after"/>.</summary>
    private static ByteArrayContent Body(string before, string after)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(after)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

public sealed class InvalidUtf8TestsOnSqlite(SqliteApiFixture api) : InvalidUtf8Tests(api), IClassFixture<SqliteApiFixture>;

public sealed class InvalidUtf8TestsOnPostgres(PostgresApiFixture api) : InvalidUtf8Tests(api), IClassFixture<PostgresApiFixture>;
