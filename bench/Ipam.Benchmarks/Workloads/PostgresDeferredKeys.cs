using Npgsql;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// What pg_restore leaves until the rows are in, for tables about to be bulk-loaded: their primary-key, unique and
/// foreign-key constraints and their other indexes. Each is read from the catalogue as the server prints it
/// (<c>pg_get_constraintdef</c>, <c>pg_get_indexdef</c>) and dropped; <see cref="Restore"/> runs that text again,
/// so the schema ends as the migrations made it, each index built from the rows in one sorted pass and each foreign
/// key validated by one join, where a COPY would queue one key lookup per row until it ends. Check and not-null
/// constraints stay: they read one row and look nothing up.
/// </summary>
internal sealed class PostgresDeferredKeys
{
    private const string Statements = """
        SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
               CASE c.contype WHEN 'f' THEN 0 ELSE 2 END
        FROM pg_constraint c
        WHERE c.conrelid = ANY (@tables::regclass[]) AND c.contype IN ('p', 'u', 'f')
        UNION ALL
        SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), 1
        FROM pg_index i
        WHERE i.indrelid = ANY (@tables::regclass[])
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
        ORDER BY 3, 1
        """;

    private readonly List<(string Drop, string Create, int Order)> _dropped;

    private PostgresDeferredKeys(List<(string Drop, string Create, int Order)> dropped) => _dropped = dropped;

    /// <summary>How many constraints and indexes were dropped.</summary>
    public int Count => _dropped.Count;

    /// <summary>Drops the keys and indexes of <paramref name="tables"/>, foreign keys first, in one transaction.</summary>
    public static PostgresDeferredKeys Drop(NpgsqlConnection connection, params string[] tables)
    {
        var dropped = new List<(string, string, int)>();
        using var transaction = connection.BeginTransaction();
        using (var command = new NpgsqlCommand(Statements, connection, transaction))
        {
            command.Parameters.AddWithValue("tables", tables);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                dropped.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }

        foreach (var (drop, _, _) in dropped)
        {
            Execute(connection, transaction, drop);
        }

        transaction.Commit();
        return new PostgresDeferredKeys(dropped);
    }

    /// <summary>Creates everything again, keys and indexes before the foreign keys, in one transaction: a row that breaks one fails it all.</summary>
    public void Restore(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var (_, create, _) in _dropped.OrderByDescending(d => d.Order))
        {
            Execute(connection, transaction, create);
        }

        transaction.Commit();
        _dropped.Clear();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
