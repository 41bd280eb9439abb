using Ipam.Errors;
using Ipam.Tokens;

namespace Ipam.Api.Tokens;

internal static class TokenMapping
{
    public static TokenDto ToDto(this Token token) =>
        new(token.Id, token.Name, CallerRoles.ToWire(token.Role), token.TenantId, token.CreatedAt, token.ExpiresAt, token.RevokedAt, token.CreatedBy);

    public static CreatedTokenDto ToDto(this CreatedToken created)
    {
        var token = created.Token;
        return new(token.Id, token.Name, CallerRoles.ToWire(token.Role), token.TenantId, token.CreatedAt, token.ExpiresAt, token.CreatedBy, created.Secret);
    }

    public static CreateTokenCommand ToCommand(this CreateTokenBody body) => new()
    {
        Role = CallerRoles.TryParse(body.Role, out var role)
            ? role.Value
            : throw ValidationException.InvalidRequest("role", "role is required: admin, member or reader."),
        TenantId = Input.Text("tenant_id", body.TenantId),
        Name = Input.Text("name", body.Name),
        ExpiresAt = body.ExpiresAt,
    };
}
