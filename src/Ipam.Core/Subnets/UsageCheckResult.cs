namespace Ipam.Subnets;

/// <summary>What a usage check looked at and found; <see cref="Repaired"/> when the mismatches were recounted (and the owners' entries set again).</summary>
public sealed record UsageCheckResult(long SubnetsChecked, IReadOnlyList<UsageMismatch> Mismatches, bool Repaired)
{
    /// <summary>The first <see cref="UsageCheckService.MaxUnreadableRows"/> rows that could not be read, which a repair leaves as they are.</summary>
    public IReadOnlyList<UnreadableRow> UnreadableRows { get; init; } = [];

    /// <summary>How many rows could not be read in all.</summary>
    public long UnreadableRowCount { get; init; }

    /// <summary>How many owners' entries differ from the allocations (see <see cref="Storage.IIpamSession.CountOwnerEntryMismatchesAsync"/>); a repair sets them again.</summary>
    public long OwnerEntryMismatches { get; init; }
}
