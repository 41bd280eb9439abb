using Ipam.Caching;

namespace Ipam.Subnets;

/// <summary>A subnet as stored: its CIDR, gateway and allocation pools (as the caller gave them, sorted).</summary>
public sealed record Subnet : IRevisioned
{
    public required Guid Id { get; init; }

    public required Cidr Cidr { get; init; }

    public IpAddress? Gateway { get; init; }

    public required IReadOnlyList<AddressRange> AllocationPools
    {
        get;
        init
        {
            field = value;
            _poolSet = null;
        }
    }

    public Ipv6AddressMode? Ipv6AddressMode { get; init; }

    public string? Name { get; init; }

    public string? TenantId { get; init; }

    public Guid? SubnetPoolId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>How long a released address stays out of <c>random</c> and <c>next</c> picks; 0: reused at once.</summary>
    public int ReuseCooldownSeconds { get; init; }

    /// <summary>Bumped by every change to the subnet row; caches built for an older revision are stale.</summary>
    public long Revision { get; init; } = 1;

    public IpVersion Version => Cidr.Version;

    /// <summary>The pool addresses as one set, for counting and picking.</summary>
    /// <remarks>Cached; the pools' setter clears it, so a <c>with</c> copy with new pools never sees the old set.</remarks>
    public RangeSet PoolSet => _poolSet ??= RangeSet.Of(Version, AllocationPools);

    private RangeSet? _poolSet;

    /// <summary>Compares what is stored (the pools range by range), never the cached <see cref="PoolSet"/>.</summary>
    public bool Equals(Subnet? other) =>
        ReferenceEquals(this, other) || (other is not null
            && (Id, Cidr, Gateway, Ipv6AddressMode, Name, TenantId, SubnetPoolId, CreatedAt, ReuseCooldownSeconds, Revision)
                == (other.Id, other.Cidr, other.Gateway, other.Ipv6AddressMode, other.Name, other.TenantId, other.SubnetPoolId, other.CreatedAt,
                    other.ReuseCooldownSeconds, other.Revision)
            && AllocationPools.SequenceEqual(other.AllocationPools));

    public override int GetHashCode() => HashCode.Combine(Id, Cidr, AllocationPools.Count, Name, Revision);
}
