namespace Ipam.Import;

public sealed record ImportedSubnetPool(
    Guid? Id, string? Name, List<string?>? Prefixes, int? DefaultPrefixlen, int? MinPrefixlen, int? MaxPrefixlen, long? DefaultQuota,
    Guid? AddressScopeId, string? TenantId);
