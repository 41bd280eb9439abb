namespace Ipam.Subnets;

/// <summary>Address counts of a subnet's allocation pools, plus allocations made outside them.</summary>
public sealed record SubnetUsage(UInt128 Total, UInt128 Allocated, long OutsidePools)
{
    public UInt128 Free => Total - Allocated;

    /// <summary>
    /// The usage of <paramref name="subnet"/> from its counted allocations. Counters edited by hand can hold what no
    /// sequence of changes leaves (a negative count, more than the pools hold); the usage then stays within the pools
    /// rather than wrapping round, and <c>ipam check</c> reports the counters.
    /// </summary>
    public static SubnetUsage Of(Subnet subnet, (long All, long InPools) counted)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var total = subnet.PoolSet.Count;
        var inPools = Math.Max(0, counted.InPools);
        return new(total, UInt128.Min((UInt128)inPools, total), Math.Max(0, counted.All - inPools));
    }
}
