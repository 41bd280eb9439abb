using System.Security.Claims;

namespace Ipam.Api.Authentication;

/// <summary>
/// The caller of the current request, from the principal <see cref="BearerTokenHandler"/> authenticated. Work that
/// no request asked for (the expiry sweep, pruning) runs without a request, as the anonymous admin.
/// </summary>
internal sealed class HttpCallerContext(IHttpContextAccessor accessor) : ICallerContext
{
    public string Actor => Claim(CallerClaims.Actor) ?? Actors.Anonymous;

    public CallerRole Role => CallerRoles.TryParse(Claim(CallerClaims.Role), out var role) ? role.Value : CallerRole.Admin;

    public string? TenantId => Claim(CallerClaims.Tenant);

    private string? Claim(string type)
    {
        if (accessor.HttpContext is not { } request)
        {
            return null;
        }

        // A request that reached a service unauthenticated would otherwise act as the anonymous admin.
        return request.User.Identity is { IsAuthenticated: true, AuthenticationType: BearerToken.Scheme }
            ? request.User.FindFirstValue(type)
            : throw new InvalidOperationException($"{request.Request.Path} reached a service without an authenticated caller.");
    }
}
