namespace Ipam.Import;

public sealed record ImportedAllocation(Guid? SubnetId, string? IpAddress, string? Owner, string? Description, DateTimeOffset? ExpiresAt);
