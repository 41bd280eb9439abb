using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ipam.Storage.Postgres;

/// <summary>
/// The host list of a database URL, libpq style: <c>host1:5432,[2001:db8::1]:5433,host3</c>. System.Uri refuses
/// a comma in the authority, so the list is read here. An IPv6 address is written in brackets; a host without a
/// port gets 5432; a host may be percent-encoded (<c>%2Fvar%2Frun%2Fpostgresql</c>, a socket directory).
/// </summary>
internal static class PostgresHosts
{
    public const int DefaultPort = 5432;

    /// <summary>
    /// Reads <paramref name="list"/> into <c>(host, port)</c> pairs, an IPv6 host without its brackets; an empty
    /// list is localhost. On failure, <paramref name="error"/> names the entry and what is wrong with it.
    /// </summary>
    public static bool TryParse(string list, out List<(string Host, int Port)> hosts, out string error)
    {
        hosts = [];
        error = "";
        if (list.Length == 0)
        {
            hosts.Add(("localhost", DefaultPort));
            return true;
        }

        foreach (var entry in list.Split(','))
        {
            if (!TryParseEntry(entry, out var host, out var port, out error))
            {
                return false;
            }

            hosts.Add((host, port));
        }

        return true;
    }

    /// <summary>The hosts in the form Npgsql's <c>Host</c> takes for several hosts: <c>h1:p1,[::1]:p2</c>.</summary>
    public static string Format(IEnumerable<(string Host, int Port)> hosts) =>
        string.Join(',', hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{(h.Host.Contains(':', StringComparison.Ordinal) ? $"[{h.Host}]" : h.Host)}:{h.Port}")));

    private static bool TryParseEntry(string entry, out string host, out int port, out string error)
    {
        host = "";
        port = DefaultPort;
        error = "";
        string portText;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"Host '{entry}' opens an IPv6 address with '[' but does not close it with ']'.";
                return false;
            }

            var rest = entry[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
            {
                error = $"Host '{entry}' has '{rest}' after its IPv6 address; only ':port' may follow ']'.";
                return false;
            }

            if (!PostgresUrl.TryUnescape(entry[1..close], out host)
                || !IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"Host '{entry}' has no IPv6 address between its brackets.";
                return false;
            }

            portText = rest.Length > 0 ? rest[1..] : "";
            return TryParsePort(entry, portText, rest.Length > 0, ref port, out error);
        }

        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && entry.IndexOf(':', colon + 1) >= 0)
        {
            error = $"Host '{entry}' has more than one ':'; write an IPv6 address in brackets, as [{entry}] or [::1]:5432.";
            return false;
        }

        var name = colon >= 0 ? entry[..colon] : entry;
        if (name.Length == 0)
        {
            error = entry.Length == 0
                ? "The host list has an empty entry; separate hosts with a single ',' (host1:5432,host2:5432)."
                : $"Host '{entry}' has a port but no host name.";
            return false;
        }

        if (!PostgresUrl.TryUnescape(name, out host))
        {
            error = $"Host '{entry}' has a '%' that is not followed by two hexadecimal digits.";
            return false;
        }

        portText = colon >= 0 ? entry[(colon + 1)..] : "";
        return TryParsePort(entry, portText, colon >= 0, ref port, out error);
    }

    private static bool TryParsePort(string entry, string text, bool present, ref int port, out string error)
    {
        error = "";
        if (!present)
        {
            return true;
        }

        if (text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit)
            && int.Parse(text, CultureInfo.InvariantCulture) is >= 1 and <= 65535 and var parsed)
        {
            port = parsed;
            return true;
        }

        error = $"Host '{entry}' has port '{text}'; a port is a number from 1 to 65535.";
        return false;
    }
}
