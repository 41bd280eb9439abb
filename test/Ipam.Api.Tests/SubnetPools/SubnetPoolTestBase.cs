using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>What the <c>/v1/subnet-pools</c> suites share: creating pools, subnets from them, and their free space.</summary>
public abstract class SubnetPoolTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    protected async Task<JsonObject> CreatePoolAsync(object body) => await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", body), 201);

    protected async Task<JsonObject> FromPoolAsync(string poolId, int? prefixlen = null, string? tenant = null) =>
        await api.CreateSubnetAsync(new Dictionary<string, object?>
        {
            ["subnet_pool_id"] = poolId,
            ["prefixlen"] = prefixlen,
            ["tenant_id"] = tenant,
        }.Where(p => p.Value is not null).ToDictionary());

    protected Task<HttpResponseMessage> PostFromPoolAsync(object body) => api.PostAsync("/v1/subnets", body);

    /// <summary>The pool's whole free list: every page, following <c>next</c>.</summary>
    protected async Task<List<string>> AvailableAsync(string poolId, int limit = 1000)
    {
        var prefixes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.GetJsonAsync(
                $"/v1/subnet-pools/{poolId}/available-prefixes?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            prefixes.AddRange(page["prefixes"]!.AsArray().Select(p => (string)p!));
            var next = (string?)page["next"];
            Assert.True(next is null || next != cursor, $"the server repeated cursor {next}");
            cursor = next;
        }
        while (cursor is not null);
        return prefixes;
    }

    protected static List<string> Prefixes(JsonObject pool) => [.. pool["prefixes"]!.AsArray().Select(p => (string)p!)];
}
