namespace Ipam.Subnets;

/// <summary>Address counts of a subnet's allocation pools, plus allocations made outside them.</summary>
public sealed record SubnetUsage(UInt128 Total, UInt128 Allocated, long OutsidePools)
{
    public UInt128 Free => Total - Allocated;
}
