namespace Ipam.Api.Subnets;

public sealed record UsageCountDto(long Allocated, long InPools);

/// <summary>A subnet whose counters differ from its rows: <c>counted</c> from the rows, <c>stored</c> the counters (null: no counter row).</summary>
public sealed record UsageMismatchDto(Guid SubnetId, UsageCountDto Counted, UsageCountDto? Stored);

/// <summary>What a usage check looked at and found; <c>repaired</c> when the mismatches were recounted.</summary>
public sealed record UsageCheckDto(long SubnetsChecked, IReadOnlyList<UsageMismatchDto> Mismatches, bool Repaired);
