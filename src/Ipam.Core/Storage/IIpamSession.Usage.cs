namespace Ipam.Storage;

/// <summary>
/// Subnet usage, kept as counters that the database updates in the statement that inserts or deletes an
/// allocation, so that reading it costs the same whatever the number of allocations.
/// </summary>
public partial interface IIpamSession
{
    /// <summary>The subnet's allocations, all of them and those inside its stored allocation pools, as its counters hold them.</summary>
    ValueTask<(long All, long InPools)> CountSubnetAllocationsAsync(Guid subnetId, CancellationToken cancellationToken);

    ValueTask<long> CountSubnetsAsync(CancellationToken cancellationToken);

    /// <summary>Every subnet whose counters differ from a count of its allocation rows, by id (reads every allocation).</summary>
    ValueTask<IReadOnlyList<UsageMismatch>> FindUsageMismatchesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets the subnet's counters to a count of its rows. The caller holds the subnet
    /// (<see cref="RowLock.ForUpdate"/>), so that no allocation of a concurrent transaction changes them meanwhile.
    /// </summary>
    ValueTask RecountSubnetUsageAsync(Guid subnetId, CancellationToken cancellationToken);
}
