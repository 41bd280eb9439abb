using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Ipam.Benchmarks;

/// <summary>
/// The database's own limit: one durable single-row INSERT transaction at a time, on a file with the same
/// settings as Ipam's (WAL, synchronous=FULL), in the same directory. Measured between the workload's
/// phases, so that both see the same disk.
/// </summary>
internal sealed class RawInsertProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private long _next;

    public RawInsertProbe(string path, bool durable)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute($"PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")}");
        Execute("CREATE TABLE IF NOT EXISTS raw (subnet_id TEXT NOT NULL, ip BLOB NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (subnet_id, ip)) WITHOUT ROWID");
    }

    /// <summary>Commits <paramref name="count"/> single-row transactions and returns commits per second.</summary>
    public double Measure(int count)
    {
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO raw (subnet_id, ip, created_at) VALUES ('bench', $ip, $at)";
        var ip = insert.Parameters.Add("$ip", SqliteType.Blob);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            var key = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), _next++);
            ip.Value = key;
            at.Value = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Commits single-row transactions for <paramref name="duration"/>; returns commits per second.</summary>
    public double MeasureFor(TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        var commits = 0;
        while (stopwatch.Elapsed < duration)
        {
            Measure(50);
            commits += 50;
        }

        return commits / stopwatch.Elapsed.TotalSeconds;
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
