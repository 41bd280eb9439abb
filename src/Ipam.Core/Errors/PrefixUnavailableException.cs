namespace Ipam.Errors;

/// <summary>A subnet pool cannot hand out the prefix asked for: no free block is large enough, or the specific prefix is taken.</summary>
public sealed class PrefixUnavailableException : IpamException
{
    /// <summary>No free block of the pool can hold a prefix of that length.</summary>
    public PrefixUnavailableException(Guid subnetPoolId, int prefixLength)
        : base(ErrorCodes.PrefixUnavailable, "No free prefix.",
            $"Subnet pool {subnetPoolId} has no free /{prefixLength}: insufficient prefix space to allocate subnet size /{prefixLength}.",
            new Dictionary<string, object?> { ["subnet_pool_id"] = subnetPoolId, ["prefixlen"] = prefixLength })
    {
    }

    /// <summary>The specific prefix overlaps a subnet already allocated from the pool.</summary>
    public PrefixUnavailableException(Guid subnetPoolId, Cidr requested, Cidr conflictsWith)
        : base(ErrorCodes.PrefixUnavailable, "Prefix not free.",
            $"{requested} cannot be allocated from subnet pool {subnetPoolId}: it overlaps subnet {conflictsWith} of the pool.",
            PrefixDetails(subnetPoolId, requested, conflictsWith))
    {
    }

    /// <summary>The specific prefix overlaps another tenant's subnet of the pool, which is not named.</summary>
    public PrefixUnavailableException(Guid subnetPoolId, Cidr requested)
        : base(ErrorCodes.PrefixUnavailable, "Prefix not free.",
            $"{requested} cannot be allocated from subnet pool {subnetPoolId}: it overlaps a subnet of the pool.",
            PrefixDetails(subnetPoolId, requested, conflictsWith: null))
    {
    }

    /// <summary>The details of a specific prefix refused, naming the subnet it overlaps only where the caller may see it.</summary>
    private static Dictionary<string, object?> PrefixDetails(Guid subnetPoolId, Cidr requested, Cidr? conflictsWith)
    {
        var details = new Dictionary<string, object?>
        {
            ["subnet_pool_id"] = subnetPoolId,
            ["prefixlen"] = requested.PrefixLength,
            ["cidr"] = requested.ToString(),
        };
        if (conflictsWith is { } conflict)
        {
            details["conflicts_with"] = conflict.ToString();
        }

        return details;
    }
}
