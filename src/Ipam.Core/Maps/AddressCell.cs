namespace Ipam.Maps;

/// <summary>One address of a map, with its allocation when it is allocated.</summary>
public sealed record AddressCell(IpAddress Address, AddressState State, Allocation? Allocation);
