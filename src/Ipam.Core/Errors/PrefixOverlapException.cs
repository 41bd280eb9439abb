namespace Ipam.Errors;

/// <summary>A subnet pool prefix overlaps a prefix of another pool in the same address scope.</summary>
public sealed class PrefixOverlapException : IpamException
{
    /// <summary>The overlapping pool is one the caller sees (its own, or a shared one): it is named.</summary>
    public PrefixOverlapException(Cidr cidr, Cidr conflictsWith, Guid conflictingSubnetPoolId, Guid addressScopeId)
        : base(ErrorCodes.PrefixOverlap, "Prefixes overlap.",
            $"{cidr} overlaps {conflictsWith} of subnet pool {conflictingSubnetPoolId} in address scope {addressScopeId}; " +
            "the subnet pools of one address scope may not overlap.",
            new Dictionary<string, object?>
            {
                ["cidr"] = cidr.ToString(),
                ["conflicts_with"] = conflictsWith.ToString(),
                ["subnet_pool_id"] = conflictingSubnetPoolId,
                ["address_scope_id"] = addressScopeId,
            })
    {
    }

    /// <summary>The overlapping pool is another tenant's: neither it nor its prefix is named.</summary>
    public PrefixOverlapException(Cidr cidr, Guid addressScopeId)
        : base(ErrorCodes.PrefixOverlap, "Prefixes overlap.",
            $"{cidr} overlaps a prefix of another subnet pool in address scope {addressScopeId}; " +
            "the subnet pools of one address scope may not overlap.",
            new Dictionary<string, object?> { ["cidr"] = cidr.ToString(), ["address_scope_id"] = addressScopeId })
    {
    }
}
