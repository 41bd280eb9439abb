namespace Ipam.Changes;

/// <summary>
/// One entry of the change log: what changed, when, by whom, and the resource before and after (as the API
/// shows it, JSON). Written by the transaction that makes the change, so a committed change always has its
/// entry and a rolled-back one never does. <see cref="Sequence"/> is the entry's place in commit order.
/// </summary>
public sealed record Change
{
    /// <summary>The position in commit order; 0 until the entry is committed.</summary>
    public long Sequence { get; init; }

    /// <summary>One of <see cref="ChangeTypes"/>.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Who made the change: a token id, <see cref="Actors.Anonymous"/> or <see cref="Actors.System"/>.</summary>
    public required string Actor { get; init; }

    public string? TenantId { get; init; }

    /// <summary>The subnet changed, or the subnet of the allocation changed.</summary>
    public Guid? SubnetId { get; init; }

    /// <summary>The id of the subnet pool or address scope changed.</summary>
    public Guid? ResourceId { get; init; }

    public IpAddress? Address { get; init; }

    /// <summary>The CIDR of the subnet an allocation belonged to, kept so that history outlives the subnet.</summary>
    public Cidr? Cidr { get; init; }

    /// <summary>Why an allocation ended: one of <see cref="ReleaseReasons"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>When an allocation that ended had been made.</summary>
    public DateTimeOffset? HeldSince { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }
}
