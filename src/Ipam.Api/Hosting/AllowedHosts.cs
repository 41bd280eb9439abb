using System.Net;

namespace Ipam.Api.Hosting;

/// <summary>
/// The Host header values the service answers to. On loopback-only listeners only the loopback names, so a web
/// page cannot reach the service through a DNS name rebound to 127.0.0.1; elsewhere any host unless configured.
/// </summary>
internal static class AllowedHosts
{
    /// <summary>The configuration key ASP.NET Core uses for the list (names separated by ';').</summary>
    public const string ConfigurationKey = "AllowedHosts";

    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static readonly IReadOnlyList<string> Any = ["*"];

    /// <summary>The configured list if any (the options first, then configuration), else the default for <paramref name="urls"/>.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string>? configured, string? fromConfiguration, string urls)
    {
        if (configured is { Count: > 0 })
        {
            return configured;
        }

        var parsed = Parse(fromConfiguration);
        return parsed.Count > 0 ? parsed : AllLoopback(urls) ? Loopback : Any;
    }

    /// <summary>Host names from a ';'-separated list.</summary>
    public static IReadOnlyList<string> Parse(string? list) =>
        list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Whether every URL listens on a loopback address or <c>localhost</c>.</summary>
    public static bool AllLoopback(string urls)
    {
        var addresses = Parse(urls);
        return addresses.Count > 0 && addresses.All(url => BindingAddress.Parse(url).Host is var host &&
            (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
             (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))));
    }
}
