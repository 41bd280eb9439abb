namespace Ipam.Api.Subnets;

public sealed record UsageCountDto(long Allocated, long InPools);

/// <summary>A subnet whose counters differ from its rows: <c>counted</c> from the rows, <c>stored</c> the counters (null: no counter row).</summary>
public sealed record UsageMismatchDto(Guid SubnetId, UsageCountDto Counted, UsageCountDto? Stored);

/// <summary>A stored row the service cannot read: its table, its key as the columns hold it, and what is wrong.</summary>
public sealed record UnreadableRowDto(string Table, string Key, string Problem);

/// <summary>
/// What a usage check looked at and found; <c>repaired</c> when the mismatches were recounted. <c>unreadable_rows</c>
/// lists the first 100 rows that cannot be read (a repair leaves them), <c>unreadable_row_count</c> counts them all.
/// <c>owner_entry_mismatches</c> counts the entries that lists by owner read (SQLite) which differ from the
/// allocations; a repair sets them all again.
/// </summary>
public sealed record UsageCheckDto(
    long SubnetsChecked, IReadOnlyList<UsageMismatchDto> Mismatches, bool Repaired,
    IReadOnlyList<UnreadableRowDto>? UnreadableRows = null, long UnreadableRowCount = 0, long OwnerEntryMismatches = 0);
