using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Hosting;

/// <summary>The OpenAPI document the host serves.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApi_Document_ListsSubnetAndAllocationPaths()
    {
        await using var server = await IpamServer.StartAsync();
        var document = await server.GetJsonAsync("/openapi/v1.json");
        var paths = document["paths"]!.AsObject();
        Assert.Contains("/v1/subnets", paths.Select(p => p.Key));
        Assert.Contains("/v1/subnets/{id}/allocations", paths.Select(p => p.Key));
        Assert.Contains("/v1/subnets/{id}/allocations/{ip}", paths.Select(p => p.Key));
    }

    [Theory]
    [InlineData("CreateSubnetBody")]
    [InlineData("UpdateSubnetBody", "")]
    [InlineData("CreateSubnetPoolBody", "name", "prefixes")]
    [InlineData("UpdateSubnetPoolBody", "")]
    [InlineData("CreateAddressScopeBody", "name", "ip_version")]
    [InlineData("CreateTokenBody", "role")]
    public async Task OpenApi_Document_RequiresOnlyTheMembersABodyNeeds(string body, params string[] required)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var schema = document["components"]!["schemas"]![body]!;
        var listed = (schema["required"]?.AsArray().Select(r => (string)r!) ?? []).Order(StringComparer.Ordinal);
        Assert.Equal(required.Where(r => r.Length > 0).Order(StringComparer.Ordinal), listed);
        Assert.NotEmpty(schema["properties"]!.AsObject());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheBackupAsADatabaseFile()
    {
        await using var server = await IpamServer.StartAsync();
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var responses = document["paths"]!["/v1/backup"]!["get"]!["responses"]!;
        var schema = responses["200"]!["content"]!["application/vnd.sqlite3"]!["schema"]!;
        Assert.Equal(("string", "binary"), ((string)schema["type"]!, (string)schema["format"]!));
        Assert.NotNull(responses["501"]!["content"]!["application/problem+json"]);
    }
}
