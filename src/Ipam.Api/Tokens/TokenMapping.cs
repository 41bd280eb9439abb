namespace Ipam.Api.Tokens;

/// <summary>Tokens as the API shows them; public for the CLI, which prints a token made offline the same way.</summary>
public static class TokenMapping
{
    internal static TokenDto ToDto(this Token token) =>
        new(token.Id, token.Name, CallerRoles.ToWire(token.Role), token.TenantId, token.CreatedAt, token.ExpiresAt, token.RevokedAt, token.CreatedBy);

    public static CreatedTokenDto ToDto(this CreatedToken created)
    {
        var token = created.Token;
        return new(token.Id, token.Name, CallerRoles.ToWire(token.Role), token.TenantId, token.CreatedAt, token.ExpiresAt, token.CreatedBy, created.Secret);
    }

    internal static CreateTokenCommand ToCommand(this CreateTokenBody body) => new()
    {
        Role = CallerRoles.TryParse(body.Role, out var role)
            ? role.Value
            : throw ValidationException.InvalidRequest("role", body.Role is null
                ? "role is required: admin, member or reader."
                : $"'{body.Role}' is not a role: admin, member or reader."),
        TenantId = Input.TenantId("tenant_id", body.TenantId),
        Name = Input.Text("name", body.Name),
        ExpiresAt = body.ExpiresAt,
        ExpiresIn = body.ExpiresIn is null ? null
            : TokenLifetime.TryParse(body.ExpiresIn, out var lifetime) ? lifetime
            : throw ValidationException.InvalidRequest("expires_in", $"expires_in takes {TokenLifetime.Form}."),
    };
}
