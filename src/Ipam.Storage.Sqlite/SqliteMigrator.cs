namespace Ipam.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, each in its own transaction,
/// recording applied versions in <c>schema_migrations</c>.
/// </summary>
internal static class SqliteMigrator
{
    public static void Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
            var newest = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            EmbeddedMigrations.ThrowIfNewer([newest], typeof(SqliteMigrator).Assembly, connection.DataSource);
        }

        foreach (var (version, name, sql) in EmbeddedMigrations.Load(typeof(SqliteMigrator).Assembly))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT count(*) FROM schema_migrations WHERE version = $version";
            check.Parameters.AddWithValue("$version", version);
            if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = sql;
            apply.ExecuteNonQuery();

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)";
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$name", name);
            record.Parameters.AddWithValue("$at", SqliteValues.Time(DateTimeOffset.UtcNow));
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
