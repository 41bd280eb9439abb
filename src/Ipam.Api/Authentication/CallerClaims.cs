using System.Security.Claims;

namespace Ipam.Api.Authentication;

/// <summary>How a caller is kept in the request's principal: its actor, role and tenant as claims.</summary>
internal static class CallerClaims
{
    public const string Actor = ClaimTypes.NameIdentifier;
    public const string Role = ClaimTypes.Role;
    public const string Tenant = "ipam:tenant_id";

    public static ClaimsPrincipal For(Token token) => Principal(token.Id.ToString(), token.Role, token.TenantId);

    /// <summary>A caller without a token, on a server that does not require one: anonymous and admin, as before tokens existed.</summary>
    public static ClaimsPrincipal Anonymous() => Principal(Actors.Anonymous, CallerRole.Admin, tenant: null);

    private static ClaimsPrincipal Principal(string actor, CallerRole role, string? tenant)
    {
        List<Claim> claims = [new(Actor, actor), new(Role, CallerRoles.ToWire(role))];
        if (tenant is not null)
        {
            claims.Add(new Claim(Tenant, tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, BearerToken.Scheme, Actor, Role));
    }
}
