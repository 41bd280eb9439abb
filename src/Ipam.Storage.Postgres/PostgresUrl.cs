using Npgsql;

namespace Ipam.Storage.Postgres;

/// <summary>
/// Turns a <c>postgresql://user:pass@host:port/dbname?sslmode=require</c> URL into an Npgsql connection string.
/// <c>pooler=transaction</c> says that the URL names a transaction pooler (PgBouncer's <c>pool_mode = transaction</c>)
/// rather than PostgreSQL itself; see <see cref="PoolerMode"/>.
/// </summary>
public static class PostgresUrl
{
    private const string PoolerParameter = "pooler";

    public static bool TryParse(string url, out string connectionString, out string error)
    {
        connectionString = "";
        error = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgresql" && uri.Scheme != "postgres"))
        {
            error = $"'{url}' is not a postgresql://user:pass@host:port/dbname URL.";
            return false;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database.Length == 0 ? "ipam" : database,
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            MaxPoolSize = 64,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var pooler = PoolerMode.None;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, "");
            if (key == PoolerParameter)
            {
                if (!PoolerModes.TryParse(value, out pooler))
                {
                    error = $"Unsupported pooler '{value}': use pooler=transaction behind a transaction pooler, pooler=session or none otherwise.";
                    return false;
                }

                continue;
            }

            try
            {
                builder[key switch { "sslmode" => "SSL Mode", "host" => "Host", "application_name" => "Application Name", _ => key }] = value;
            }
            catch (ArgumentException e)
            {
                error = $"Unsupported connection parameter '{key}': {e.Message}";
                return false;
            }
        }

        PoolerModes.Apply(pooler, builder);
        connectionString = builder.ConnectionString;
        return true;
    }
}
