namespace Ipam.Errors;

public sealed class SubnetNotFoundException(Guid subnetId)
    : IpamException(ErrorCodes.SubnetNotFound, "Subnet not found.", $"Subnet {subnetId} does not exist.",
        new Dictionary<string, object?> { ["subnet_id"] = subnetId })
{
    public Guid SubnetId { get; } = subnetId;
}
