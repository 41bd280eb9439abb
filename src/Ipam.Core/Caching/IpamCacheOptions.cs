namespace Ipam.Caching;

/// <summary>How much memory the in-process indexes may hold (<c>ipam serve --cache-mb</c>).</summary>
public sealed record IpamCacheOptions
{
    /// <summary>The default budget of the free-address indexes: 256 MiB.</summary>
    public const long DefaultFreeSpaceBytes = 256L << 20;

    /// <summary>
    /// The bytes the subnets' free-address indexes may hold in all. Past it, the indexes of the subnets used least
    /// recently are dropped and rebuilt from the database when next needed: memory stays bounded whatever the
    /// number of subnets, at the cost of a rebuild for a subnet that comes back.
    /// </summary>
    public long FreeSpaceBytes { get; init; } = DefaultFreeSpaceBytes;

    /// <summary>The default budget of the subnets kept without an index: 16 MiB, some fifty thousand subnets.</summary>
    public const long DefaultSubnetBytes = 16L << 20;

    /// <summary>
    /// The bytes the subnets kept by revision without a free-address index may hold (those that take only specific
    /// addresses, say). Past it, the least recently used are dropped and read from the database when next needed.
    /// </summary>
    public long SubnetBytes { get; init; } = DefaultSubnetBytes;
}
