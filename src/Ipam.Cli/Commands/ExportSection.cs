using System.Runtime.CompilerServices;
using Ipam.Errors;

namespace Ipam.Cli.Commands;

/// <summary>
/// One list of an export: its name, the fields kept of each item (in order), and where the items come from. The lists
/// are read one after another, not in one snapshot: the allocations are those of the subnets the export wrote (not of
/// the subnets listed again), so that a subnet created meanwhile is left out with its allocations rather than its
/// allocations written without it, which an import would refuse.
/// </summary>
internal sealed record ExportSection(string Name, string[] Fields, Func<ApiClient, ExportRun, CancellationToken, IAsyncEnumerable<JsonElement>> Items)
{
    public static readonly ExportSection[] All =
    [
        new("address_scopes", ["id", "name", "ip_version", "tenant_id"], (api, _, ct) => ApiPages.ItemsAsync(api, Paths.AddressScopes, ct)),
        new("subnet_pools",
            ["id", "name", "prefixes", "default_prefixlen", "min_prefixlen", "max_prefixlen", "default_quota", "address_scope_id", "tenant_id"],
            (api, _, ct) => ApiPages.ItemsAsync(api, Paths.SubnetPools, ct)),
        new("subnets",
            ["id", "cidr", "name", "gateway_ip", "allocation_pools", "ipv6_address_mode", "tenant_id", "subnet_pool_id", "reuse_cooldown_seconds"],
            SubnetsAsync),
        new("allocations", ["subnet_id", "ip_address", "owner", "description", "expires_at"], AllocationsAsync),
    ];

    /// <summary>A field of an item; a field the server left out is exported as null.</summary>
    public static JsonElement Field(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) ? value : default;

    private static async IAsyncEnumerable<JsonElement> SubnetsAsync(ApiClient api, ExportRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var subnet in ApiPages.ItemsAsync(api, Paths.Subnets, cancellationToken))
        {
            run.Subnets.Add(subnet.GetProperty("id").GetGuid());
            yield return subnet;
        }
    }

    private static async IAsyncEnumerable<JsonElement> AllocationsAsync(ApiClient api, ExportRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var subnetId in run.Subnets)
        {
            await using var allocations = ApiPages.ItemsAsync(api, Paths.Allocations(subnetId), cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await NextUnlessDeletedAsync(allocations))
            {
                yield return allocations.Current;
            }
        }
    }

    /// <summary>Whether the subnet has another allocation; false also once the subnet was deleted after it was written.</summary>
    private static async Task<bool> NextUnlessDeletedAsync(IAsyncEnumerator<JsonElement> allocations)
    {
        try
        {
            return await allocations.MoveNextAsync();
        }
        catch (ApiException e) when (e.Code == ErrorCodes.SubnetNotFound)
        {
            return false;
        }
    }
}

/// <summary>What one export has written so far that a later list depends on.</summary>
internal sealed class ExportRun
{
    /// <summary>The ids of the subnets written, in order.</summary>
    public List<Guid> Subnets { get; } = [];
}
