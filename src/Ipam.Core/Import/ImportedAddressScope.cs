namespace Ipam.Import;

public sealed record ImportedAddressScope(Guid? Id, string? Name, int? IpVersion, string? TenantId);
