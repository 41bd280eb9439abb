namespace Ipam.Allocations;

public sealed partial class AllocationService
{
    /// <summary>
    /// Builds the free-space index of a subnet that has none cached in a read unit first, then runs
    /// <paramref name="write"/>. A read sees one snapshot, so the index is exact as of its own position in the log,
    /// and the write catches it up from there like any other. Built inside the write instead, a subnet with
    /// millions of allocations would hold its transaction for the seconds the build takes: on SQLite every other
    /// write would wait, and on PostgreSQL the transaction would keep its connection and its subnet's lock.
    /// </summary>
    /// <remarks>
    /// Concurrent first requests share one build, which runs to its end even if they give up waiting: the index
    /// is then there for their retries.
    /// </remarks>
    private async Task<T> BuildIndexThenAsync<T>(Guid subnetId, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await cache.BuildOnceAsync(subnetId, () => store.ReadAsync(async (session, ct) =>
        {
            // A subnet that would refuse the request is left to the write to refuse.
            if (await session.FindSubnetAsync(subnetId, RowLock.None, ct).ConfigureAwait(false) is { } subnet && MayAllocateByStrategy(subnet))
            {
                await cache.GetAsync(session, subnet, ct).ConfigureAwait(false);
            }

            return true;
        }, CancellationToken.None)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await write().ConfigureAwait(false);
    }
}
