namespace Ipam.Api.Hosting;

/// <summary>Where the data lives, parsed from <c>--database</c>: <c>sqlite:PATH</c> or <c>postgresql://...</c>.</summary>
public sealed record DatabaseLocation(string Kind, string Target)
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public static DatabaseLocation Default { get; } = new(Sqlite, "./ipam.db");

    public static bool TryParse(string? text, out DatabaseLocation location, out string error)
    {
        location = Default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The database is empty; use sqlite:PATH or postgresql://user:pass@host:port/dbname.";
            return false;
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (path.Length == 0)
            {
                error = "sqlite: needs a file path, e.g. sqlite:./ipam.db.";
                return false;
            }

            location = new DatabaseLocation(Sqlite, path);
            return true;
        }

        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            location = new DatabaseLocation(PostgreSql, text);
            return true;
        }

        error = $"Unknown database '{text}': use sqlite:PATH or postgresql://user:pass@host:port/dbname.";
        return false;
    }
}
