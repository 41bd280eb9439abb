using Ipam.Changes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>
/// A caller named by the request's <see cref="Header"/> header (anonymous without one), for tests of what is
/// kept apart per caller on a server without tokens.
/// </summary>
public sealed class HeaderCaller(IHttpContextAccessor http) : ICallerContext
{
    public const string Header = "X-Test-Actor";

    public string Actor => http.HttpContext?.Request.Headers[Header].FirstOrDefault() ?? Actors.Anonymous;

    public CallerRole Role => CallerRole.Admin;

    public string? TenantId => null;

    /// <summary>Registers the header as the caller, in place of the server's own caller context.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ICallerContext, HeaderCaller>();
    }
}
