using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Process.Tests;

/// <summary>Reads every allocation row straight from the database, bypassing Ipam.</summary>
public static class StoredRows
{
    public static async Task<IReadOnlyList<Ledger.Row>> ReadSqliteAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT a.subnet_id, a.ip, a.owner, s.ip_version FROM allocations a JOIN subnets s ON s.id = a.subnet_id";
        var rows = new List<Ledger.Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Ledger.Row(reader.GetString(0), Address((byte[])reader[1], reader.GetInt32(3)), reader.IsDBNull(2) ? "" : reader.GetString(2)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<Ledger.Row>> ReadPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT a.subnet_id, a.ip, a.owner, s.ip_version FROM allocations a JOIN subnets s ON s.id = a.subnet_id", connection);
        var rows = new List<Ledger.Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Ledger.Row(reader.GetGuid(0).ToString(), Address((byte[])reader[1], reader.GetInt16(3)), reader.IsDBNull(2) ? "" : reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>The checker's own decoding of the 16-byte key, independent of Ipam's code.</summary>
    private static string Address(byte[] key, int version) =>
        (version == 4 ? new IPAddress(key.AsSpan(12, 4)) : new IPAddress(key)).ToString();
}
