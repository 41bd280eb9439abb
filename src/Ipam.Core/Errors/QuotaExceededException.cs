namespace Ipam.Errors;

/// <summary>
/// A subnet from a pool would take the tenant past the pool's <c>default_quota</c>, counted in addresses
/// (IPv4) or /64s (IPv6).
/// </summary>
public sealed class QuotaExceededException(Guid subnetPoolId, string? tenantId, long quota, UInt128 used, UInt128 requested)
    : IpamException(ErrorCodes.QuotaExceeded, "Quota exceeded.",
        $"Tenant {(tenantId is null ? "(none)" : $"'{tenantId}'")} uses {used} of its quota of {quota} on subnet pool {subnetPoolId}; " +
        $"the request needs {requested} more.",
        new Dictionary<string, object?>
        {
            ["subnet_pool_id"] = subnetPoolId,
            ["tenant_id"] = tenantId,
            ["quota"] = quota,
            ["used"] = used,
            ["requested"] = requested,
        });
