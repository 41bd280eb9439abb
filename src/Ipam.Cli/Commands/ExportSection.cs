using System.Runtime.CompilerServices;

namespace Ipam.Cli.Commands;

/// <summary>One list of an export: its name, the fields kept of each item (in order), and where the items come from.</summary>
internal sealed record ExportSection(string Name, string[] Fields, Func<ApiClient, CancellationToken, IAsyncEnumerable<JsonElement>> Items)
{
    public static readonly ExportSection[] All =
    [
        new("address_scopes", ["id", "name", "ip_version", "tenant_id"], (api, ct) => ApiPages.ItemsAsync(api, Paths.AddressScopes, ct)),
        new("subnet_pools",
            ["id", "name", "prefixes", "default_prefixlen", "min_prefixlen", "max_prefixlen", "default_quota", "address_scope_id", "tenant_id"],
            (api, ct) => ApiPages.ItemsAsync(api, Paths.SubnetPools, ct)),
        new("subnets",
            ["id", "cidr", "name", "gateway_ip", "allocation_pools", "ipv6_address_mode", "tenant_id", "subnet_pool_id", "reuse_cooldown_seconds"],
            (api, ct) => ApiPages.ItemsAsync(api, Paths.Subnets, ct)),
        new("allocations", ["subnet_id", "ip_address", "owner", "description", "expires_at"], AllocationsAsync),
    ];

    /// <summary>A field of an item; a field the server left out is exported as null.</summary>
    public static JsonElement Field(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) ? value : default;

    private static async IAsyncEnumerable<JsonElement> AllocationsAsync(ApiClient api, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var subnet in ApiPages.ItemsAsync(api, Paths.Subnets, cancellationToken))
        {
            var subnetId = subnet.GetProperty("id").GetGuid();
            await foreach (var allocation in ApiPages.ItemsAsync(api, Paths.Allocations(subnetId), cancellationToken))
            {
                yield return allocation;
            }
        }
    }
}
