namespace Ipam.Import;

public sealed class ImportedSubnet
{
    public Guid? Id { get; set; }

    public string? Cidr { get; set; }

    public string? Name { get; set; }

    /// <summary>Always explicit in an export: <c>null</c> means no gateway, not the default one.</summary>
    public string? GatewayIp { get; set; }

    public List<ImportedRange>? AllocationPools { get; set; }

    public string? Ipv6AddressMode { get; set; }

    public string? TenantId { get; set; }

    public Guid? SubnetPoolId { get; set; }

    public int ReuseCooldownSeconds { get; set; }
}
