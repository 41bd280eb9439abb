using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ipam.Benchmarks;

/// <summary>
/// The database's own limit: one durable single-row INSERT transaction at a time, with Ipam's settings (WAL,
/// synchronous=FULL, or NORMAL under --no-fsync), into a table shaped like Ipam's allocations, in Ipam's own
/// database file (see <see cref="Harness.IpamInstance.RawProbe"/>). Workloads call it between their own
/// slices, so that both see the same disk.
/// </summary>
internal sealed class RawInsertProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _ip;
    private readonly SqliteParameter _at;
    private long _next;

    public RawInsertProbe(string path, bool durable)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute($"PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")}");
        if (durable)
        {
            // In Ipam's own file, whose WAL Ipam checkpoints in the background: a commit here must not pay
            // for copying Ipam's pages, which Ipam's own commits no longer do either.
            Execute("PRAGMA wal_autocheckpoint = 0");
        }

        Execute("CREATE TABLE IF NOT EXISTS bench_raw_inserts (subnet_id TEXT NOT NULL, ip BLOB NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (subnet_id, ip)) WITHOUT ROWID");
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO bench_raw_inserts (subnet_id, ip, created_at) VALUES ('bench', $ip, $at)";
        _ip = _insert.Parameters.Add("$ip", SqliteType.Blob);
        _at = _insert.Parameters.Add("$at", SqliteType.Text);
    }

    /// <summary>Commits <paramref name="count"/> single-row transactions; returns the time they took.</summary>
    public TimeSpan Run(int count)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            CommitOne();
        }

        return stopwatch.Elapsed;
    }

    /// <summary>Commits <paramref name="count"/> single-row transactions and returns commits per second.</summary>
    public double Measure(int count) => count / Run(count).TotalSeconds;

    /// <summary>Commits single-row transactions for <paramref name="duration"/>; returns commits per second.</summary>
    public double MeasureFor(TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        var commits = 0;
        while (stopwatch.Elapsed < duration)
        {
            CommitOne();
            commits++;
        }

        return commits / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>One timed single-row commit; returns its latency in seconds.</summary>
    public double Latency()
    {
        var start = Stopwatch.GetTimestamp();
        CommitOne();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private void CommitOne()
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insert.Transaction = transaction;
        var key = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), _next++);
        _ip.Value = key;
        _at.Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        _insert.ExecuteNonQuery();
        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
