using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// A body cut off mid-document (an interrupted upload, a file copied in part): 400 saying the body is not valid JSON,
/// not that the member it broke off in has the wrong type, and nothing changed.
/// </summary>
public abstract class TruncatedBodyTests(ApiFixture api) : ImportRefusalTestBase(api)
{
    [Theory]
    [InlineData(""" {"format": "ipam-export", "version": """)]
    [InlineData(""" {"format": "ipam-export", "version": 1, "subnets": [{"id": "f0f0f0f0-0000-4000-8000-0000000000b0", "cidr": "10.9""")]
    [InlineData(""" {"format": "ipam-export", "version": 1, "subnets": [{"id": "f0f0f0f0-0000-4000-8000-0000000000b1", "cidr": "10.9.8.0/24"}""")]
    public async Task Import_TruncatedBody_SaysTheJsonIsNotValid(string plan)
    {
        var problem = await ImportRejectedAsync(plan);

        AssertNotValidJson(problem);
    }

    [Theory]
    [InlineData("""{"cidr": """)]
    [InlineData("""{"cidr": "10.9.7.0/24", "allocation_pools": [{"start": """)]
    public async Task CreateSubnet_TruncatedBody_SaysTheJsonIsNotValid(string body)
    {
        var problem = await CreateRejectedAsync(body);

        AssertNotValidJson(problem);
    }

    private static void AssertNotValidJson(System.Text.Json.Nodes.JsonObject problem)
    {
        var (field, messages) = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("body", field);
        Assert.Equal("The body is not valid JSON.", (string?)messages![0]);
    }
}

public sealed class TruncatedBodyTestsOnSqlite(SqliteApiFixture api) : TruncatedBodyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class TruncatedBodyTestsOnPostgres(PostgresApiFixture api) : TruncatedBodyTests(api), IClassFixture<PostgresApiFixture>;
