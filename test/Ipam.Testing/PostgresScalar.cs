using System.Globalization;
using Npgsql;

namespace Ipam.Testing;

/// <summary>A test's look at a PostgreSQL database: the first column of the first row of a query, as a number.</summary>
public static class PostgresScalar
{
    /// <summary>On a connection of its own to <paramref name="connectionString"/>'s database.</summary>
    public static async Task<long> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await QueryAsync(connection, sql);
    }

    /// <summary>On <paramref name="connection"/>, inside whatever transaction it has open.</summary>
    public static async Task<long> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
