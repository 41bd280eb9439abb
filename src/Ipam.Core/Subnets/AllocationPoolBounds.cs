namespace Ipam.Subnets;

/// <summary>An allocation pool as a caller wrote it, before validation (start may be after end).</summary>
public readonly record struct AllocationPoolBounds(IpAddress Start, IpAddress End);
