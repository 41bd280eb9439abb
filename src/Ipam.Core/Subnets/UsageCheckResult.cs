namespace Ipam.Subnets;

/// <summary>What a usage check looked at and found; <see cref="Repaired"/> when the mismatches were recounted.</summary>
public sealed record UsageCheckResult(long SubnetsChecked, IReadOnlyList<UsageMismatch> Mismatches, bool Repaired);
