using Ipam.Api.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

using Ipam.Testing;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>Reads a server's database directly (SQLite file or PostgreSQL database), to check what is really stored.</summary>
public static class Database
{
    public static async Task<long> ScalarAsync(IpamServer server, string sql, string? subnetId = null)
    {
        if (server.Options.Database.Kind == DatabaseLocation.Sqlite)
        {
            using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql.Replace("@id", "$id", StringComparison.Ordinal);
            if (subnetId is not null)
            {
                command.Parameters.AddWithValue("$id", subnetId);
            }

            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var cluster = await SharedPostgres.GetAsync();
        await using var pg = new NpgsqlConnection(cluster.ConnectionStringFor(server.Options.Database.Target));
        await pg.OpenAsync();
        await using var query = new NpgsqlCommand(sql.Replace("@id", "$1", StringComparison.Ordinal), pg);
        if (subnetId is not null)
        {
            query.Parameters.AddWithValue(Guid.Parse(subnetId));
        }

        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement directly against the database; returns the database's error, if any.</summary>
    public static async Task<Exception?> TryExecuteAsync(IpamServer server, string sql, string? subnetId = null)
    {
        try
        {
            if (server.Options.Database.Kind == DatabaseLocation.Sqlite)
            {
                using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False;Foreign Keys=True");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("@id", "$id", StringComparison.Ordinal);
                if (subnetId is not null)
                {
                    command.Parameters.AddWithValue("$id", subnetId);
                }

                command.ExecuteNonQuery();
                return null;
            }

            var cluster = await SharedPostgres.GetAsync();
            await using var pg = new NpgsqlConnection(cluster.ConnectionStringFor(server.Options.Database.Target));
            await pg.OpenAsync();
            await using var statement = new NpgsqlCommand(sql.Replace("@id", "$1", StringComparison.Ordinal), pg);
            if (subnetId is not null)
            {
                statement.Parameters.AddWithValue(Guid.Parse(subnetId));
            }

            await statement.ExecuteNonQueryAsync();
            return null;
        }
        catch (Exception e) when (e is SqliteException or PostgresException)
        {
            return e;
        }
    }

    /// <summary>True for a constraint violation of either database (SQLite 19, PostgreSQL class 23).</summary>
    public static bool IsConstraintViolation(Exception? e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        PostgresException pg => pg.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    public static Task<long> CountAllocationsAsync(IpamServer server, string subnetId) =>
        ScalarAsync(server, "SELECT count(*) FROM allocations WHERE subnet_id = @id", subnetId);

    public static Task<long> CountAllAllocationsAsync(IpamServer server) =>
        ScalarAsync(server, "SELECT count(*) FROM allocations");
}
