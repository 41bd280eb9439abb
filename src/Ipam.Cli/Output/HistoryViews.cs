using Ipam.Api.History;

namespace Ipam.Cli.Output;

/// <summary>Tables for an address's history in a subnet, and for who held an address across subnets.</summary>
internal static class HistoryViews
{
    public static IRenderable History(IReadOnlyList<AllocationHistoryDto> periods) => Tables.List(
        periods,
        "No history: the address was never allocated in this subnet.",
        new("OWNER", p => Formats.Text(p.Owner), Wraps: true),
        new("DESCRIPTION", p => Formats.Text(p.Description), Wraps: true),
        new("ALLOCATED", p => Formats.Time(p.AllocatedAt)),
        new("BY", p => Formats.Text(p.AllocatedBy)),
        new("RELEASED", p => p.ReleasedAt is null ? "(current)" : Formats.Time(p.ReleasedAt)),
        new("RELEASED BY", p => Formats.Text(p.ReleasedBy)),
        new("REASON", p => Formats.Text(p.ReleaseReason)));

    /// <summary>Who held <paramref name="address"/> at <paramref name="at"/> (as given; null: now).</summary>
    public static IRenderable Holders(IReadOnlyList<AddressHolderDto> holders, string address, string? at) => Tables.List(
        holders,
        at is null
            ? $"Nobody holds {address} now, in any subnet. Past holders: --at TIME, or --subnet SUBNET_ID for its allocations there."
            : $"Nobody held {address} at {at}, in any subnet.",
        new("SUBNET", h => h.SubnetId.ToString()),
        new("CIDR", h => Formats.Text(h.Cidr)),
        new("OWNER", h => Formats.Text(h.Owner), Wraps: true),
        new("ALLOCATED", h => Formats.Time(h.AllocatedAt)),
        new("RELEASED", h => h.ReleasedAt is null ? "(current)" : Formats.Time(h.ReleasedAt)),
        new("REASON", h => Formats.Text(h.ReleaseReason)));
}
