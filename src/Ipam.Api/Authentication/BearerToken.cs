using Microsoft.AspNetCore.Authorization;

namespace Ipam.Api.Authentication;

/// <summary>The authentication scheme of Ipam's own API tokens, presented as <c>Authorization: Bearer ipam_…</c>.</summary>
internal static class BearerToken
{
    public const string Scheme = "Bearer";

    private const string Prefix = Scheme + " ";

    /// <summary>The authorization policy of endpoints only admins may use.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The secret of an <c>Authorization: Bearer</c> header; null without one, or with another scheme.</summary>
    public static string? PresentedSecret(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }

    /// <summary>
    /// Authentication with API tokens, required on every endpoint not marked anonymous when <paramref name="required"/>;
    /// otherwise a request without a token acts as the anonymous admin (one that presents a token is still checked).
    /// </summary>
    public static IServiceCollection AddBearerTokens(this IServiceCollection services, bool required)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ICallerContext, HttpCallerContext>();
        services.AddAuthentication(Scheme)
            .AddScheme<BearerTokenOptions, BearerTokenHandler>(Scheme, options => options.Required = required);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(CallerRoles.Admin));
        return services;
    }
}
