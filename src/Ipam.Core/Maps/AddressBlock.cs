namespace Ipam.Maps;

/// <summary>
/// One aligned block of a map: its size, how many of its addresses are in the allocation pools, how many are
/// allocated (in the pools or outside them), and how many pool addresses are free.
/// </summary>
public sealed record AddressBlock(Cidr Cidr, UInt128 Total, UInt128 InPools, UInt128 Allocated, UInt128 Free);
