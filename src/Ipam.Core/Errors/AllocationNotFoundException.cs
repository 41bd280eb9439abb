namespace Ipam.Errors;

public sealed class AllocationNotFoundException(Guid subnetId, IpAddress address)
    : IpamException(ErrorCodes.AllocationNotFound, "Address not allocated.",
        $"{address} is not allocated in subnet {subnetId}.",
        new Dictionary<string, object?> { ["subnet_id"] = subnetId, ["ip_address"] = address.ToString() });
