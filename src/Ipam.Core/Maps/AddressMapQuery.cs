namespace Ipam.Maps;

/// <summary>The map of a subnet, or of a CIDR inside it (<see cref="Within"/>), split into at most <see cref="Blocks"/> blocks.</summary>
public sealed record AddressMapQuery
{
    public const int DefaultBlocks = 256;

    public const int MaxBlocks = 1024;

    /// <summary>A range of at most this many addresses is mapped address by address instead of in blocks.</summary>
    public const int MaxCells = 256;

    public required Guid SubnetId { get; init; }

    /// <summary>The part of the subnet to map; null: the whole subnet.</summary>
    public Cidr? Within { get; init; }

    /// <summary>At most this many blocks: a power of two from 1 to <see cref="MaxBlocks"/>.</summary>
    public int Blocks { get; init; } = DefaultBlocks;
}
