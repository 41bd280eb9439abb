namespace Ipam.Import;

public sealed class ImportedAddressScope
{
    public Guid? Id { get; set; }

    public string? Name { get; set; }

    public int? IpVersion { get; set; }

    public string? TenantId { get; set; }
}
