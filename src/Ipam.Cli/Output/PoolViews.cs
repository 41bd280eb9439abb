using System.Globalization;
using Ipam.Api.SubnetPools;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ipam.Cli.Output;

/// <summary>Tables for subnet pools.</summary>
internal static class PoolViews
{
    public static IRenderable List(IReadOnlyList<SubnetPoolDto> pools)
    {
        if (pools.Count == 0)
        {
            return new Text("No subnet pools." + Environment.NewLine);
        }

        var table = Tables.Create("ID", "NAME", "PREFIXES", "DEFAULT", "MIN-MAX", "QUOTA", "SCOPE", "TENANT");
        foreach (var p in pools)
        {
            Tables.AddRow(table,
                p.Id.ToString(), p.Name, string.Join(", ", p.Prefixes), $"/{p.DefaultPrefixlen}", $"/{p.MinPrefixlen}-/{p.MaxPrefixlen}",
                p.DefaultQuota is { } quota ? Formats.Count(quota) : Formats.Missing, p.AddressScopeId?.ToString() ?? Formats.Missing,
                Formats.Text(p.TenantId));
        }

        return table;
    }

    public static IRenderable Detail(SubnetPoolDto pool) => Tables.KeyValues(
    [
        ("ID", pool.Id.ToString()),
        ("Name", pool.Name),
        ("IP version", $"IPv{pool.IpVersion}"),
        ("Prefixes", string.Join(Environment.NewLine, pool.Prefixes)),
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
