namespace Ipam.Errors;

public sealed class SubnetPoolNotFoundException(Guid subnetPoolId)
    : IpamException(ErrorCodes.SubnetPoolNotFound, "Subnet pool not found.", $"Subnet pool {subnetPoolId} does not exist.",
        new Dictionary<string, object?> { ["subnet_pool_id"] = subnetPoolId })
{
    public Guid SubnetPoolId { get; } = subnetPoolId;
}
