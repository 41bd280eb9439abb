namespace Ipam.Storage.Sql;

/// <summary>What a write of the session may change, which decides what the unit of work records of it.</summary>
internal enum WriteScope
{
    /// <summary>
    /// Allocation rows only: the unit counts as modified only if rows changed (a refused insert or a delete
    /// that found nothing, the usual ways a request fails, can still be undone without a savepoint), and
    /// held subnet revisions stay valid, since no allocation changes a subnet row.
    /// </summary>
    AllocationRows,

    /// <summary>
    /// Any other rows (subnets and their pools, subnet pools, scopes, idempotency records): the unit counts as
    /// modified, and the held subnet revisions are forgotten, as the write may have changed them.
    /// </summary>
    OtherRows,
}
