using Ipam.Caching;

namespace Ipam.SubnetPools;

/// <summary>
/// A set of prefixes of one IP version from which subnets are allocated, with the prefix lengths a subnet
/// may have and an optional per-tenant quota.
/// </summary>
/// <remarks>
/// <see cref="Prefixes"/> is always stored merged: the shortest list of CIDRs covering the pool's addresses,
/// ascending, so overlapping or adjacent prefixes given by a caller are compacted.
/// </remarks>
public sealed record SubnetPool : IRevisioned
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required IpVersion Version { get; init; }

    public required IReadOnlyList<Cidr> Prefixes
    {
        get;
        init
        {
            field = value;
            _prefixSet = null;
        }
    }

    public required int DefaultPrefixLength { get; init; }

    public required int MinPrefixLength { get; init; }

    public required int MaxPrefixLength { get; init; }

    /// <summary>The most a tenant may hold, in addresses (IPv4) or /64s (IPv6); null: no limit.</summary>
    public long? DefaultQuota { get; init; }

    public Guid? AddressScopeId { get; init; }

    public string? TenantId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Bumped by every change to the pool row; prefix indexes built for an older revision are stale.</summary>
    public long Revision { get; init; } = 1;

    /// <summary>
    /// Bumped, in the same transaction, whenever a subnet is allocated from the pool or deleted: a change that leaves
    /// the pool's own fields (and <see cref="Revision"/>) as they were, but not its free prefixes.
    /// </summary>
    public long SubnetsVersion { get; init; }

    /// <summary>
    /// What a prefix index of the pool was built for: both numbers only grow, so their sum changes whenever either
    /// does. An index built for another generation may miss a subnet another instance deleted.
    /// </summary>
    public long Generation => Revision + SubnetsVersion;

    /// <summary>The pool's addresses as one set.</summary>
    /// <remarks>Cached; the prefixes' setter clears it, so a <c>with</c> copy never sees the old set.</remarks>
    public RangeSet PrefixSet => _prefixSet ??= RangeSet.Of(Version, Prefixes.Select(p => p.Range));

    private RangeSet? _prefixSet;

    /// <summary>Compares what is stored (the prefixes one by one), never the cached <see cref="PrefixSet"/>.</summary>
    public bool Equals(SubnetPool? other) =>
        ReferenceEquals(this, other) || (other is not null
            && (Id, Name, Version, DefaultPrefixLength, MinPrefixLength, MaxPrefixLength, DefaultQuota, AddressScopeId, TenantId, CreatedAt, Revision, SubnetsVersion)
                == (other.Id, other.Name, other.Version, other.DefaultPrefixLength, other.MinPrefixLength, other.MaxPrefixLength,
                    other.DefaultQuota, other.AddressScopeId, other.TenantId, other.CreatedAt, other.Revision, other.SubnetsVersion)
            && Prefixes.SequenceEqual(other.Prefixes));

    public override int GetHashCode() => HashCode.Combine(Id, Name, Prefixes.Count, Revision);
}
