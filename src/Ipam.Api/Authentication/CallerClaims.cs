using System.Globalization;
using System.Security.Claims;

namespace Ipam.Api.Authentication;

/// <summary>How a caller is kept in the request's principal: its actor, role and tenant as claims.</summary>
internal static class CallerClaims
{
    public const string Actor = ClaimTypes.NameIdentifier;
    public const string Role = ClaimTypes.Role;
    public const string Tenant = "ipam:tenant_id";

    /// <summary>When the token expires (round-trip format), for a token that does.</summary>
    public const string ExpiresAt = "ipam:expires_at";

    public static ClaimsPrincipal For(Token token)
    {
        var principal = Principal(token.Id.ToString(), token.Role, token.TenantId);
        if (token.ExpiresAt is { } expires)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ExpiresAt, expires.ToString("O", CultureInfo.InvariantCulture)));
        }

        return principal;
    }

    /// <summary>The id of the token the request presented and its expiry; a null id for a caller without a token.</summary>
    public static (Guid? TokenId, DateTimeOffset? ExpiresAt) TokenOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Guid? id = Guid.TryParse(user.FindFirstValue(Actor), out var parsed) ? parsed : null;
        DateTimeOffset? expires = user.FindFirstValue(ExpiresAt) is { } text
            ? DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
        return (id, expires);
    }

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
