namespace Ipam.Storage;

/// <summary>Where an allocation sorts in lists across subnets: by subnet id, then address.</summary>
public readonly record struct AllocationKey(Guid SubnetId, IpAddress Address);
