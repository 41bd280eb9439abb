using System.Data.Common;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// Every row of the server's database as one text, read on a connection of its own, to compare before and after
/// a request: the change log by its length and last position, every other table by its content, except what the
/// background fold writes whenever it runs: the usage counters, the fold's position and (on SQLite) the owners' entries
/// (the fuzz test checks the usage against the rows at the end instead; OwnerListStoreTests checks the lists by owner).
/// </summary>
internal sealed class StateProbe(DbConnection connection, string query) : IAsyncDisposable
{
    public static async Task<StateProbe> OpenAsync(IpamServer server)
    {
        var sqlite = server.Options.Database.Kind == DatabaseLocation.Sqlite;
        DbConnection connection = sqlite
            ? new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection((await SharedPostgres.GetAsync()).ConnectionStringFor(server.Options.Database.Target));
        await connection.OpenAsync();
        var parts = new List<string>();
        foreach (var (table, columns) in (await TablesAsync(connection, sqlite)).Where(t => t.Table is not ("subnet_usage" or "usage_fold" or "allocation_owners")))
        {
            parts.Add(table == "changes"
                ? "(SELECT 'changes:' || count(*) || ':' || coalesce(max(seq), 0) FROM changes)"
                : sqlite
                    ? $"(SELECT '{table}:' || coalesce(group_concat({string.Join(" || ',' || ", columns.Select(c => $"quote({c})"))}, ';'), '') FROM {table})"
                    : $"(SELECT '{table}:' || coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM {table} t)");
        }

        return new StateProbe(connection, "SELECT " + string.Join(sqlite ? " || char(10) || " : " || E'\\n' || ", parts));
    }

    public async Task<string> CaptureAsync()
    {
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private static async Task<List<(string Table, List<string> Columns)>> TablesAsync(DbConnection connection, bool sqlite)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sqlite
            ? "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'schema_migrations' ORDER BY m.name, p.cid"
            : "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position";
        var tables = new List<(string Table, List<string> Columns)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (tables.Count == 0 || tables[^1].Table != table)
            {
                tables.Add((table, []));
            }

            tables[^1].Columns.Add(reader.GetString(1));
        }

        return tables;
    }
}
