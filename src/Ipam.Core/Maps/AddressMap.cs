namespace Ipam.Maps;

/// <summary>
/// What a part of a subnet holds: aligned blocks with their counts, or, for a range of at most
/// <see cref="AddressMapQuery.MaxCells"/> addresses, every address with its state (exactly one of the two is set).
/// </summary>
public sealed record AddressMap(Subnet Subnet, Cidr Within, IReadOnlyList<AddressBlock>? Blocks, IReadOnlyList<AddressCell>? Cells);
