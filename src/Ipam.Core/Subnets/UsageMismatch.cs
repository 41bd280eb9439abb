namespace Ipam.Subnets;

/// <summary>
/// A subnet whose usage counters differ from its rows: <see cref="Counted"/> from the rows, <see cref="Stored"/>
/// the counters (null where the store keeps a counter row per subnet and it is missing).
/// </summary>
public sealed record UsageMismatch(Guid SubnetId, UsageCount Counted, UsageCount? Stored);
