using Ipam.Api.SubnetPools;

namespace Ipam.Cli.Output;

/// <summary>Tables for subnet pools.</summary>
internal static class PoolViews
{
    public static IRenderable List(IReadOnlyList<SubnetPoolDto> pools) => Tables.Resources(
        pools,
        "No subnet pools.",
        p => p.Id,
        p => p.Name,
        new("PREFIXES", p => string.Join(", ", p.Prefixes), Wraps: true),
        new("DEFAULT", p => $"/{p.DefaultPrefixlen}"),
        new("MIN-MAX", p => $"/{p.MinPrefixlen}-/{p.MaxPrefixlen}"),
        new("QUOTA", p => p.DefaultQuota is { } quota ? Formats.Count(quota) : Formats.Missing),
        new("SCOPE", p => p.AddressScopeId?.ToString() ?? Formats.Missing),
        new("TENANT", p => Formats.Text(p.TenantId)));

    public static IRenderable Detail(SubnetPoolDto pool) => Tables.Resource(pool.Id, pool.Name,
    [
        ("IP version", $"IPv{pool.IpVersion}"),
        ("Prefixes", Formats.Lines(pool.Prefixes)),
        ("Prefix lengths", $"default /{pool.DefaultPrefixlen}, min /{pool.MinPrefixlen}, max /{pool.MaxPrefixlen}"),
        ("Quota per tenant", Quota(pool)),
        ("Address scope", pool.AddressScopeId?.ToString() ?? "(none)"),
        ("Tenant", Formats.Text(pool.TenantId)),
        ("Created", Formats.Time(pool.CreatedAt)),
    ]);

    private static string Quota(SubnetPoolDto pool) => pool.DefaultQuota switch
    {
        null => "(none)",
        { } quota => string.Create(CultureInfo.InvariantCulture, $"{Formats.Count(quota)} {(pool.IpVersion == 4 ? "addresses" : "/64s")}"),
    };
}
