namespace Ipam.Storage.Postgres;

/// <summary>
/// Turns a <c>postgresql://user:pass@host:port/dbname?sslmode=require</c> URL into an Npgsql connection string.
/// Several hosts, libpq style (<c>postgresql://user:pass@db1:5432,db2:5432/ipam?target_session_attributes=primary</c>),
/// become Npgsql's <c>Host=db1:5432,db2:5432</c>: Npgsql then connects to whichever of them is the primary, and
/// after a failover to the standby promoted in its place. <c>pooler=transaction</c> says that the URL names a
/// transaction pooler (PgBouncer's <c>pool_mode = transaction</c>) rather than PostgreSQL itself; see
/// <see cref="PoolerMode"/>. Other parameters are Npgsql settings, by their libpq or their Npgsql names.
/// </summary>
public static class PostgresUrl
{
    private const string PoolerParameter = "pooler";
    private const string TargetSessionAttributes = "Target Session Attributes";

    /// <summary>
    /// How long Npgsql trusts what it learnt of a host (down, primary, standby) before asking again; its own default
    /// is 10 s. After a failover the promoted standby is taken for a standby, and so refused, for up to this long.
    /// </summary>
    private const int HostRecheckSeconds = 1;

    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    /// <summary>The values of libpq's target_session_attributes (and Npgsql's), in the order an error lists them.</summary>
    private static readonly string[] SessionAttributes = ["primary", "any", "standby", "prefer-primary", "prefer-standby", "read-write", "read-only"];

    /// <summary>libpq's names of the parameters whose Npgsql names differ.</summary>
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["host"] = "Host",
        ["application_name"] = "Application Name",
        ["target_session_attributes"] = TargetSessionAttributes,
        ["connect_timeout"] = "Timeout",
    };

    public static bool TryParse(string url, out string connectionString, out string error)
    {
        ArgumentNullException.ThrowIfNull(url);
        connectionString = "";
        var scheme = Schemes.FirstOrDefault(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (scheme is null)
        {
            error = "A PostgreSQL database URL starts with postgresql:// (postgresql://user:pass@host:port,host2:port/dbname).";
            return false;
        }

        var (authority, path, query) = Split(url[scheme.Length..]);
        var at = authority.LastIndexOf('@');
        if (!PostgresHosts.TryParse(authority[(at + 1)..], out var hosts, out error))
        {
            return false;
        }

        if (!TryUnescape(path, out var database))
        {
            error = $"The database name '{path}' has a '%' that is not followed by two hexadecimal digits.";
            return false;
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Database = database.Length == 0 ? "ipam" : database,
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            MaxPoolSize = 64,
            // Nothing Ipam does outlives a transaction (see PoolerModes), so there is no session state for the
            // reset Npgsql would otherwise send with the first command of every reuse of a pooled connection.
            NoResetOnClose = true,
        };
        SetHosts(builder, hosts);
        if (at >= 0 && !TrySetCredentials(builder, authority[..at], out error))
        {
            return false;
        }

        if (!TryApplyParameters(builder, query, out var pooler, out error))
        {
            return false;
        }

        PoolerModes.Apply(pooler, builder);
        connectionString = builder.ConnectionString;
        return true;
    }

    /// <summary>
    /// Percent-decodes <paramref name="text"/>; false when a '%' is not followed by two hexadecimal digits, or
    /// stands for a NUL (libpq refuses both).
    /// </summary>
    internal static bool TryUnescape(string text, out string value)
    {
        value = text;
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])
                || (text[i + 1] == '0' && text[i + 2] == '0'))
            {
                return false;
            }
        }

        value = Uri.UnescapeDataString(text);
        return true;
    }

    /// <summary>The authority, the path after its '/' and the query of what follows the scheme (a fragment is dropped).</summary>
    private static (string Authority, string Path, string Query) Split(string rest)
    {
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        rest = fragment >= 0 ? rest[..fragment] : rest;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question >= 0 ? rest[(question + 1)..] : "";
        rest = question >= 0 ? rest[..question] : rest;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? (rest[..slash], rest[(slash + 1)..], query) : (rest, "", query);
    }

    /// <summary>One host as Host and Port; several as Npgsql's list, with a recheck short enough to find a promoted standby soon.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, List<(string Host, int Port)> hosts)
    {
        if (hosts.Count == 1)
        {
            (builder.Host, builder.Port) = hosts[0];
            return;
        }

        builder.Host = PostgresHosts.Format(hosts);
        builder.HostRecheckSeconds = HostRecheckSeconds;
    }

    private static bool TrySetCredentials(NpgsqlConnectionStringBuilder builder, string userInfo, out string error)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (!TryUnescape(colon >= 0 ? userInfo[..colon] : userInfo, out var user)
            || !TryUnescape(colon >= 0 ? userInfo[(colon + 1)..] : "", out var password))
        {
            // Not the text itself: it may hold the password.
            error = "The user name or password in the URL has a '%' that is not followed by two hexadecimal digits; percent-encode '%' as %25.";
            return false;
        }

        error = "";
        builder.Username = user.Length == 0 ? null : user;
        builder.Password = colon >= 0 ? password : null;
        return true;
    }

    private static bool TryApplyParameters(NpgsqlConnectionStringBuilder builder, string query, out PoolerMode pooler, out string error)
    {
        pooler = PoolerMode.None;
        error = "";
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (!TryUnescape(equals >= 0 ? pair[..equals] : pair, out var key) || !TryUnescape(equals >= 0 ? pair[(equals + 1)..] : "", out var value))
            {
                error = $"The URL parameter '{(equals >= 0 ? pair[..equals] : pair)}' has a '%' that is not followed by two hexadecimal digits.";
                return false;
            }

            if (key == PoolerParameter)
            {
                if (!PoolerModes.TryParse(value, out pooler))
                {
                    error = $"Unsupported pooler '{value}': use pooler=transaction behind a transaction pooler, pooler=session or none otherwise.";
                    return false;
                }

                continue;
            }

            if (!TrySet(builder, LibpqNames.GetValueOrDefault(key, key), value, out error))
            {
                error = $"Unsupported connection parameter '{key}': {error}";
                return false;
            }
        }

        return true;
    }

    private static bool TrySet(NpgsqlConnectionStringBuilder builder, string keyword, string value, out string error)
    {
        // Npgsql reads this value only when a connection opens; a mistyped failover setting fails the start instead.
        if (keyword.Replace(" ", "", StringComparison.Ordinal).Equals("TargetSessionAttributes", StringComparison.OrdinalIgnoreCase)
            && !SessionAttributes.Contains(value))
        {
            error = $"'{value}' is not one of {string.Join(", ", SessionAttributes)}.";
            return false;
        }

        error = "";
        try
        {
            builder[keyword] = value;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }
}
