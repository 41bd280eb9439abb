using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Ipam.Cli.Commands;

/// <summary>An allocation pool given as <c>START-END</c>.</summary>
internal sealed record PoolRange(string Start, string End);

/// <summary>A <c>--gateway</c> value: an address, or <c>none</c> (<see cref="Address"/> null).</summary>
internal sealed record GatewayChoice(string? Address);

/// <summary>
/// Parsers for option and argument values. A bad value is a usage error (exit 2) reported before any request;
/// what only the server can judge (CIDR rules, MAC syntax, pool placement) is left to the server.
/// </summary>
internal static partial class ValueParsers
{
    public const string NoGateway = "none";

    /// <summary>An address, in the canonical form the server gives it back (<c>2001:db8::5</c> for <c>2001:DB8:0::5</c>), so that messages name it so.</summary>
    public static string IpAddress(ArgumentResult result)
    {
        var text = Single(result);
        if (IsIpAddress(text))
        {
            // A form the server refuses goes to it as typed, for it to say why.
            return Addressing.IpAddress.TryParse(text, out var address) ? address.ToString() : text;
        }

        result.AddError($"{Messages.Quote(text)} is not an IP address (e.g. 10.0.0.5 or 2001:db8::5).");
        return "";
    }

    public static GatewayChoice? Gateway(ArgumentResult result)
    {
        var text = Single(result);
        if (string.Equals(text, NoGateway, StringComparison.OrdinalIgnoreCase))
        {
            return new GatewayChoice(null);
        }

        if (IsIpAddress(text))
        {
            return new GatewayChoice(text);
        }

        result.AddError($"--gateway takes an IP address or '{NoGateway}', not {Messages.Quote(text)}.");
        return null;
    }

    /// <summary>Pools as repeated <c>--pool START-END</c> options, or comma-separated in one.</summary>
    public static PoolRange[] Pools(ArgumentResult result)
    {
        var pools = new List<PoolRange>();
        foreach (var text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = text.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !IsIpAddress(parts[0]) || !IsIpAddress(parts[1]))
            {
                result.AddError($"--pool takes START-END, e.g. 10.0.0.10-10.0.0.99, not {Messages.Quote(text)}.");
                return [];
            }

            pools.Add(new PoolRange(parts[0], parts[1]));
        }

        return [.. pools];
    }

    /// <summary>An RFC 3339 time, e.g. <c>2099-05-01T12:00:00Z</c>; without an offset, UTC (as the server reads it).</summary>
    public static DateTimeOffset? Rfc3339(ArgumentResult result)
    {
        var text = Single(result);
        if (TimeText.TryParse(text, out var time))
        {
            return time;
        }

        result.AddError($"{Messages.Quote(text)} is not an RFC 3339 date and time, e.g. {TimeText.Example} (UTC without an offset).");
        return null;
    }

    /// <summary>The server's base URL: absolute http or https.</summary>
    public static Uri? ServerUrl(ArgumentResult result)
    {
        var text = Single(result);
        if (IsServerUrl(text, out var uri))
        {
            return uri;
        }

        result.AddError($"--server takes an http:// or https:// URL, e.g. http://127.0.0.1:5080, not {Messages.Quote(text)}.");
        return null;
    }

    /// <summary>
    /// The <c>--urls</c> of <c>ipam serve</c>: URLs separated by ';', each http:// or https:// (the host may be a name, an
    /// address, '*' or '+', as Kestrel takes them). A bare host:port would otherwise fail only at start, as the server's error.
    /// </summary>
    public static string ListenUrls(ArgumentResult result)
    {
        var text = Single(result);
        var bad = text.Split(';', StringSplitOptions.TrimEntries).FirstOrDefault(url => !IsListenUrl(url));
        if (bad is null)
        {
            return text;
        }

        result.AddError($"--urls takes http:// or https:// URLs separated by ';', e.g. http://0.0.0.0:5080, not {Messages.Quote(bad)}.");
        return "";
    }

    private static bool IsListenUrl(string url) =>
        (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && url.Length > "http://".Length)
        || (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && url.Length > "https://".Length);

    /// <summary>The server named by the environment, or the default when none is; null when the environment names no http(s) URL.</summary>
    public static Uri? DefaultServer()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ClientOptions.ServerVariable);
        if (string.IsNullOrEmpty(fromEnvironment))
        {
            return new Uri(ClientOptions.DefaultServer);
        }

        return IsServerUrl(fromEnvironment, out var uri) ? uri : null;
    }

    /// <summary>Why the environment's server is refused (see <see cref="DefaultServer"/>).</summary>
    public static string BadServerVariable() =>
        $"${ClientOptions.ServerVariable} takes an http:// or https:// URL, e.g. http://127.0.0.1:5080, not " +
        $"{Messages.Quote(Environment.GetEnvironmentVariable(ClientOptions.ServerVariable) ?? "")}.";

    private static bool IsServerUrl(string? text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A parser for an integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Func<ArgumentResult, int?> IntegerFrom(int min, int max) => result =>
    {
        var text = Single(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} must be an integer from {min} to {max}, not {Messages.Quote(text)}.");
        return null;
    };

    /// <summary>A parser for a number of seconds above 0 and at most <paramref name="max"/> (a fraction allowed).</summary>
    public static Func<ArgumentResult, double> SecondsUpTo(double max) => result =>
    {
        var text = Single(result);
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} must be a number of seconds above 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, not {Messages.Quote(text)}.");
        return 0;
    };

    /// <summary>
    /// A literal address: IPv4 in dotted-quad form (IPAddress.TryParse alone would also take "10" or "10.1"),
    /// or IPv6 without a zone.
    /// </summary>
    public static bool IsIpAddress(string text) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily switch
        {
            AddressFamily.InterNetwork => text.Count(c => c == '.') == 3 && !text.Contains(':'),
            AddressFamily.InterNetworkV6 => !text.Contains('%'),
            _ => false,
        };

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
}
