using Ipam.Scopes;

namespace Ipam.Api.Scopes;

internal static class AddressScopeMapping
{
    public static AddressScopeDto ToDto(this AddressScope scope) =>
        new(scope.Id, scope.Name, (int)scope.Version, scope.TenantId, scope.CreatedAt);

    public static CreateAddressScopeCommand ToCommand(this CreateAddressScopeBody body) => new()
    {
        Name = Input.Text("name", body.Name) ?? "",
        Version = Input.Version("ip_version", body.IpVersion) ?? throw ValidationException.InvalidRequest("ip_version", "ip_version is required: 4 or 6."),
        TenantId = Input.TenantId("tenant_id", body.TenantId),
    };
}
