namespace Ipam.Import;

/// <summary>A subnet as an export writes it: its gateway is always explicit, so a <c>null</c> gateway_ip means none, not the default one.</summary>
public sealed record ImportedSubnet(
    Guid? Id, string? Cidr, string? Name, string? GatewayIp, List<ImportedRange?>? AllocationPools, string? Ipv6AddressMode, string? TenantId,
    Guid? SubnetPoolId, int? ReuseCooldownSeconds);
