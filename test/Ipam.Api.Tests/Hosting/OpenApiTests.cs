using System.Text.Json.Nodes;
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

    [Fact]
    public async Task OpenApi_Allocate_Answers201WithAnAllocationOrTheirList()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var responses = document["paths"]!["/v1/subnets/{id}/allocations"]!["post"]!["responses"]!.AsObject();
        Assert.False(responses.ContainsKey("200"), responses.ToJsonString());
        var schema = responses["201"]!["content"]!["application/json"]!["schema"]!;
        var shapes = schema["oneOf"]!.AsArray().Select(s => Resolve(document, s!)).ToList();
        Assert.Contains(shapes, s => s["properties"]!.AsObject().ContainsKey("ip_address"));
        Assert.Contains(shapes, s => s["properties"]!.AsObject().ContainsKey("items") && !s["properties"]!.AsObject().ContainsKey("next"));
    }

    [Fact]
    public async Task OpenApi_Events_DescribesTheJsonPageAndTheEventStream()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var content = document["paths"]!["/v1/events"]!["get"]!["responses"]!["200"]!["content"]!;
        var page = Resolve(document, content["application/json"]!["schema"]!)["properties"]!.AsObject();
        Assert.True(page.ContainsKey("items") && page.ContainsKey("next"), page.ToJsonString());
        Assert.NotNull(content["text/event-stream"]);
    }

    [Theory]
    [InlineData("/v1/subnets", "post", "400 401 403 404 409 413 429 503")]
    [InlineData("/v1/subnets", "get", "400 401 403 429 503")]
    [InlineData("/v1/subnets/{id}", "get", "400 401 404 429 503")]
    [InlineData("/v1/subnets/{id}", "delete", "400 401 403 404 409 429 503")]
    [InlineData("/v1/subnets/{id}/allocations", "post", "400 401 403 404 409 413 422 429 503")]
    [InlineData("/v1/subnets/{id}/allocations/{ip}", "delete", "400 401 403 404 429 503")]
    [InlineData("/v1/tokens", "get", "400 401 403 429 503")]
    [InlineData("/v1/usage-check", "get", "401 403 429 503")]
    [InlineData("/healthz", "get", "")]
    public async Task OpenApi_Operations_ListTheProblemsTheyAnswer(string path, string method, string statuses)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var responses = document["paths"]![path]![method]!["responses"]!.AsObject();
        var problems = responses.Where(r => r.Value!["content"]?["application/problem+json"] is not null).ToList();
        Assert.Equal(statuses.Split(' ', StringSplitOptions.RemoveEmptyEntries), problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (status, response) in problems)
        {
            var schema = Resolve(document, response!["content"]!["application/problem+json"]!["schema"]!);
            var members = schema["properties"]!.AsObject();
            Assert.All(new[] { "type", "title", "status", "detail", "code", "errors", "trace_id" }, m => Assert.True(members.ContainsKey(m), $"{status}: {m}"));
            Assert.Contains("code", schema["required"]!.AsArray().Select(r => (string)r!));
        }
    }

    [Fact]
    public async Task OpenApi_OwnerAllocations_RequiresTheOwner()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");

        var parameters = document["paths"]!["/v1/allocations"]!["get"]!["parameters"]!.AsArray();
        Assert.Equal(true, (bool?)parameters.Single(p => (string)p!["name"]! == "owner")!["required"]);
        Assert.All(parameters.Where(p => (string)p!["name"]! != "owner"), p => Assert.NotEqual(true, (bool?)p!["required"]));
    }

    /// <summary>The schema itself, when <paramref name="schema"/> refers to a component.</summary>
    private static JsonNode Resolve(JsonObject document, JsonNode schema) =>
        (string?)schema["$ref"] is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;
}
