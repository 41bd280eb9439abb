using Ipam.Api.Subnets;

namespace Ipam.Cli.Output;

/// <summary>Tables for subnets and their usage.</summary>
internal static class SubnetViews
{
    public static IRenderable List(IReadOnlyList<SubnetDto> subnets) => Tables.Resources(
        subnets,
        "No subnets.",
        s => s.Id,
        s => s.Name,
        new("CIDR", s => s.Cidr),
        new("GATEWAY", s => Formats.Text(s.GatewayIp)),
        new("TENANT", s => Formats.Text(s.TenantId)),
        new("ALLOCATED", s => Formats.Count(s.Usage.Allocated), RightAligned: true),
        new("TOTAL", s => Formats.Count(s.Usage.Total), RightAligned: true),
        new("USED", s => Formats.Percent(s.Usage.Allocated, s.Usage.Total), RightAligned: true));

    public static IRenderable Detail(SubnetDto subnet)
    {
        var rows = new List<(string, string)>
        {
            ("CIDR", $"{subnet.Cidr} (IPv{subnet.IpVersion})"),
            ("Gateway", subnet.GatewayIp ?? "(none)"),
            ("Allocation pools", Formats.Pools(subnet.AllocationPools)),
        };
        if (subnet.IpVersion == 6)
        {
            rows.Add(("IPv6 address mode", Formats.Text(subnet.Ipv6AddressMode)));
        }

        rows.Add(("Tenant", Formats.Text(subnet.TenantId)));
        if (subnet.SubnetPoolId is { } poolId)
        {
            rows.Add(("Subnet pool", poolId.ToString()));
        }

        if (subnet.ReuseCooldownSeconds > 0)
        {
            rows.Add(("Reuse cooldown", $"{subnet.ReuseCooldownSeconds} s"));
        }

        rows.Add(("Created", Formats.Time(subnet.CreatedAt)));
        var usage = subnet.Usage;
        rows.Add(("Usage",
            $"{Formats.Count(usage.Allocated)} of {Formats.Count(usage.Total)} allocated ({Formats.Percent(usage.Allocated, usage.Total)}), " +
            $"{Formats.Count(usage.Free)} free, {Formats.Count(usage.OutsidePools)} outside pools"));
        return Tables.Resource(subnet.Id, subnet.Name, rows);
    }

    public static IRenderable Usage(UsageDto usage) => Tables.KeyValues(
    [
        ("Total", Formats.Count(usage.Total)),
        ("Allocated", Formats.Count(usage.Allocated)),
        ("Free", Formats.Count(usage.Free)),
        ("Outside pools", Formats.Count(usage.OutsidePools)),
        ("Used", Formats.Percent(usage.Allocated, usage.Total)),
    ]);
}
