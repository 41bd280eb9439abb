namespace Ipam.Import;

public sealed class ImportedSubnetPool
{
    public Guid? Id { get; set; }

    public string? Name { get; set; }

    public List<string>? Prefixes { get; set; }

    public int? DefaultPrefixlen { get; set; }

    public int? MinPrefixlen { get; set; }

    public int? MaxPrefixlen { get; set; }

    public long? DefaultQuota { get; set; }

    public Guid? AddressScopeId { get; set; }

    public string? TenantId { get; set; }
}
