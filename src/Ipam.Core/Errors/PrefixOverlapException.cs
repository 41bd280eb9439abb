using Ipam.Addressing;

namespace Ipam.Errors;

/// <summary>A subnet pool prefix overlaps a prefix of another pool in the same address scope.</summary>
public sealed class PrefixOverlapException(Cidr cidr, Cidr conflictsWith, Guid conflictingSubnetPoolId, Guid addressScopeId)
    : IpamException(ErrorCodes.PrefixOverlap, "Prefixes overlap.",
        $"{cidr} overlaps {conflictsWith} of subnet pool {conflictingSubnetPoolId} in address scope {addressScopeId}; " +
        "the subnet pools of one address scope may not overlap.",
        new Dictionary<string, object?>
        {
            ["cidr"] = cidr.ToString(),
            ["conflicts_with"] = conflictsWith.ToString(),
            ["subnet_pool_id"] = conflictingSubnetPoolId,
            ["address_scope_id"] = addressScopeId,
        });
