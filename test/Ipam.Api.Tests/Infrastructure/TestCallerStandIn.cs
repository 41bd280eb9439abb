using System.Globalization;
using Ipam.Changes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>
/// TEST STAND-IN for token authentication, until the real bearer tokens are in place: the caller's role and
/// tenant come from the <see cref="Header"/> header that <see cref="IpamServer.ClientAsync"/> sends ("member tenant-a",
/// "admin"). A request without it acts as today's anonymous admin. Replaced by real tokens; the tests stay.
/// </summary>
internal sealed class TestCallerStandIn(IHttpContextAccessor http) : ICallerContext
{
    public const string Header = "X-Ipam-Test-Caller";

    public string Actor => Parts.Length > 0 ? $"test-{string.Join('-', Parts)}" : Actors.Anonymous;

    public CallerRole Role => Parts is [var role, ..] ? Enum.Parse<CallerRole>(role, ignoreCase: true) : CallerRole.Admin;

    public string? TenantId => Parts is [_, var tenant] ? tenant : null;

    private string[] Parts => http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } value ? value.Split(' ') : [];

    public static void Register(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ICallerContext, TestCallerStandIn>();
    }

    /// <summary>Makes every request of <paramref name="client"/> act as <paramref name="role"/> in <paramref name="tenant"/>.</summary>
    public static void Identify(HttpClient client, CallerRole role, string? tenant) =>
        client.DefaultRequestHeaders.Add(Header, tenant is null
            ? role.ToString().ToLower(CultureInfo.InvariantCulture)
            : $"{role.ToString().ToLower(CultureInfo.InvariantCulture)} {tenant}");
}
