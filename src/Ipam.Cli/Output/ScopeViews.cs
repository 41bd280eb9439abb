using Ipam.Api.Scopes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ipam.Cli.Output;

/// <summary>Tables for address scopes.</summary>
internal static class ScopeViews
{
    public static IRenderable List(IReadOnlyList<AddressScopeDto> scopes)
    {
        if (scopes.Count == 0)
        {
            return new Text("No address scopes." + Environment.NewLine);
        }

        var table = Tables.Create("ID", "NAME", "IP VERSION", "TENANT", "CREATED");
        foreach (var s in scopes)
        {
            Tables.AddRow(table, s.Id.ToString(), s.Name, $"IPv{s.IpVersion}", Formats.Text(s.TenantId), Formats.Time(s.CreatedAt));
        }

        return table;
    }

    public static IRenderable Detail(AddressScopeDto scope) => Tables.KeyValues(
    [
        ("ID", scope.Id.ToString()),
        ("Name", scope.Name),
        ("IP version", $"IPv{scope.IpVersion}"),
        ("Tenant", Formats.Text(scope.TenantId)),
        ("Created", Formats.Time(scope.CreatedAt)),
    ]);
}
