using Ipam.Api.Scopes;

namespace Ipam.Cli.Output;

/// <summary>Tables for address scopes.</summary>
internal static class ScopeViews
{
    public static IRenderable List(IReadOnlyList<AddressScopeDto> scopes) => Tables.Resources(
        scopes,
        "No address scopes.",
        s => s.Id,
        s => s.Name,
        new("IP VERSION", s => $"IPv{s.IpVersion}"),
        new("TENANT", s => Formats.Text(s.TenantId)),
        new("CREATED", s => Formats.Time(s.CreatedAt)));

    public static IRenderable Detail(AddressScopeDto scope) => Tables.Resource(scope.Id, scope.Name,
    [
        ("IP version", $"IPv{scope.IpVersion}"),
        ("Tenant", Formats.Text(scope.TenantId)),
        ("Created", Formats.Time(scope.CreatedAt)),
    ]);
}
