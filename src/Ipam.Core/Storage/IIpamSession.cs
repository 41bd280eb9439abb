namespace Ipam.Storage;

/// <summary>
/// The operations of one unit of work, a few per aggregate: subnets with their allocation pools, allocations,
/// subnet pools with their prefixes, address scopes and idempotency records. Reads are named Find, List and
/// Count; writes Insert, Update and Delete. Not thread-safe: one caller at a time.
/// </summary>
public partial interface IIpamSession
{
    /// <summary>Runs <paramref name="action"/> once this unit's changes are durable.</summary>
    void OnCommitted(Action action);

    /// <summary>Runs <paramref name="action"/> if this unit's changes are undone.</summary>
    void OnRolledBack(Action action);

    /// <summary>How many rows refer to one parent row (allocations of a subnet, subnets of a pool, pools of a scope).</summary>
    ValueTask<long> CountAsync(RowCount rows, CancellationToken cancellationToken);

    /// <summary>
    /// The database server's clock, or null when the database has none of its own (an embedded database lives
    /// by the clock of the one process that opens it).
    /// </summary>
    ValueTask<DateTimeOffset?> ReadDatabaseTimeAsync(CancellationToken cancellationToken);
}
