using Microsoft.Data.Sqlite;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>Reads a server's SQLite file directly, to check what is really stored.</summary>
public static class Database
{
    public static long Scalar(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long CountAllocations(string path, string subnetId) =>
        Scalar(path, "SELECT count(*) FROM allocations WHERE subnet_id = $id", ("$id", subnetId));
}
