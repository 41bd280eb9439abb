namespace Ipam.Subnets;

/// <summary>A subnet's allocations: all of them, and those inside its allocation pools.</summary>
public sealed record UsageCount(long Allocated, long InPools);
