namespace Ipam.Storage.Sql;

/// <summary>
/// What a unit did to a subnet's usage counters: an allocation row inserted (+1) or deleted (−1), or the
/// subnet's counters set from its rows (<see cref="Recount"/>, also when the subnet and its counters are
/// deleted). A transaction writes the net of its units' deltas to the counters once, at its commit.
/// </summary>
internal readonly record struct UsageDelta(Guid SubnetId, IpAddress? Address, int Sign)
{
    public static UsageDelta Inserted(Guid subnetId, IpAddress address) => new(subnetId, address, 1);

    public static UsageDelta Deleted(Guid subnetId, IpAddress address) => new(subnetId, address, -1);

    /// <summary>The subnet's counters now count every row of this transaction so far, or are gone with the subnet.</summary>
    public static UsageDelta Recount(Guid subnetId) => new(subnetId, null, 0);

    /// <summary>
    /// The deltas still to be written, in order: those before a recount of their subnet are in the counters
    /// already (the recount read their rows) or no longer have counters to go to.
    /// </summary>
    public static List<UsageDelta> Net(IEnumerable<UsageDelta> deltas)
    {
        var net = new List<UsageDelta>();
        foreach (var delta in deltas)
        {
            if (delta.Address is null)
            {
                net.RemoveAll(d => d.SubnetId == delta.SubnetId);
            }
            else
            {
                net.Add(delta);
            }
        }

        return net;
    }
}
