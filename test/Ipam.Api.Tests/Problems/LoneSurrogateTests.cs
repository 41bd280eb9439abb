using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// A lone surrogate escape (<c>"\ud800"</c>, which no string can hold) in a field where null and absent differ:
/// 400 <c>invalid-request</c> naming the field, nothing changed (these answered 500).
/// </summary>
public abstract class LoneSurrogateTests(ApiFixture api)
{
    [Theory]
    [InlineData("subnet", """{"name": "\ud800"}""")]
    [InlineData("subnet", """{"gateway_ip": "\ud800"}""")]
    [InlineData("pool", """{"name": "\ud800"}""")]
    [InlineData("pool", """{"address_scope_id": "\ud800"}""")]
    [InlineData("new subnet", """{"cidr": "10.67.9.0/24", "gateway_ip": "\ud800"}""")]
    public async Task Write_LoneSurrogateInField_Returns400AndChangesNothing(string target, string body)
    {
        var subnet = Id(await api.CreateSubnetAsync(new { cidr = "10.67.0.0/24" }));
        var pool = Id(await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.68.0.0/16" } }), 201));
        var before = await api.SnapshotAsync(subnet);

        var response = target switch
        {
            "subnet" => await api.PatchJsonAsync($"/v1/subnets/{subnet}", body),
            "pool" => await api.PatchJsonAsync($"/v1/subnet-pools/{pool}", body),
            _ => await api.PostJsonAsync("/v1/subnets", body),
        };

        await ValidationProblemAsync(response);
        Assert.Equal(before, await api.SnapshotAsync(subnet));
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{subnet}"), System.Net.HttpStatusCode.NoContent);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnet-pools/{pool}"), System.Net.HttpStatusCode.NoContent);
    }
}

public sealed class LoneSurrogateTestsOnSqlite(SqliteApiFixture api) : LoneSurrogateTests(api), IClassFixture<SqliteApiFixture>;

public sealed class LoneSurrogateTestsOnPostgres(PostgresApiFixture api) : LoneSurrogateTests(api), IClassFixture<PostgresApiFixture>;
