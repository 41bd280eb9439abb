namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// The order in which a batch runs its requests. Requests that write an address their caller named
/// (<see cref="QueuedWrite.Address"/>) run after the others, in the order of subnet and address; the others keep
/// their arrival order. Any order is correct, since no request of a batch has been answered yet; this one keeps
/// concurrent transactions (other instances' batches, or several of one instance) from locking named addresses in
/// opposite orders and waiting for each other until the database breaks the deadlock. Addresses a strategy picks
/// are not ordered: the request picks them as it runs, and two transactions' picks meeting is rare.
/// </summary>
internal static class WriteOrder
{
    public static void Arrange(List<QueuedWrite> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var named = 0;
        foreach (var request in batch)
        {
            named += request.Address is null ? 0 : 1;
        }

        if (named < 2)
        {
            return;
        }

        // OrderBy is stable, so the requests without an address keep their order.
        var ordered = batch.OrderBy(r => r.Address is not null).ThenBy(r => r.SubnetId).ThenBy(r => r.Address).ToList();
        batch.Clear();
        batch.AddRange(ordered);
    }
}
