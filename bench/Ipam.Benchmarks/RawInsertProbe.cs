using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ipam.Benchmarks;

/// <summary>
/// The database's own limit: one durable single-row INSERT transaction at a time, with Ipam's settings (WAL,
/// synchronous=FULL, or NORMAL under --no-fsync), into a table shaped like Ipam's allocations, in Ipam's own
/// database file (see <see cref="Harness.IpamInstance.RawProbe"/>). Workloads call it between their own
/// slices, so that both see the same disk. With <c>withChangeRow</c> each transaction also appends a row to a
/// table shaped like Ipam's change log (<see cref="ChangeTable"/>), as every allocation's commit does: the two
/// rates side by side are what that record costs the disk, whatever the code around it.
/// </summary>
internal sealed class RawInsertProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _ip;
    private readonly SqliteParameter _at;
    private readonly ChangeRowAppend? _change;
    private readonly string _subnet = Guid.NewGuid().ToString();
    private long _next;

    public RawInsertProbe(string path, bool durable, bool withChangeRow = false)
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
        // Each probe its own subnet: two probes on one file (with and without the change row) share the table.
        _insert.CommandText = "INSERT INTO bench_raw_inserts (subnet_id, ip, created_at) VALUES ($subnet, $ip, $at)";
        _insert.Parameters.AddWithValue("$subnet", _subnet);
        _ip = _insert.Parameters.Add("$ip", SqliteType.Blob);
        _at = _insert.Parameters.Add("$at", SqliteType.Text);
        if (withChangeRow)
        {
            Execute(ChangeTable);
            _change = new ChangeRowAppend(_connection, _subnet);
        }
    }

    /// <summary>
    /// The columns, key and indexes of Ipam's <c>changes</c> table on SQLite (migrations 0009, 0012 and 0019–0021); its partial indexes
    /// take only the ends of allocations, so an allocation's row enters the table alone, as here.
    /// </summary>
    public const string ChangeTable = """
        CREATE TABLE IF NOT EXISTS bench_raw_changes (
            seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, tenant_id TEXT NULL,
            subnet_id TEXT NULL, resource_id TEXT NULL, ip_address TEXT NULL, cidr TEXT NULL, reason TEXT NULL,
            held_since TEXT NULL, before TEXT NULL, after TEXT NULL, ip BLOB NULL);
        CREATE INDEX IF NOT EXISTS bench_raw_changes_address ON bench_raw_changes (ip_address, seq)
            WHERE type IN ('allocation.released', 'allocation.expired');
        CREATE INDEX IF NOT EXISTS bench_raw_changes_subnet_ends ON bench_raw_changes (subnet_id, seq)
            WHERE type IN ('allocation.released', 'allocation.expired');
        CREATE INDEX IF NOT EXISTS bench_raw_changes_subnet_deletes ON bench_raw_changes (subnet_id, seq) WHERE type = 'subnet.deleted';
        CREATE INDEX IF NOT EXISTS bench_raw_changes_tenant ON bench_raw_changes (tenant_id, seq) WHERE tenant_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS bench_raw_changes_token_revocations ON bench_raw_changes (resource_id, seq) WHERE type = 'token.revoked';
        """;

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
        _change?.Dispose();
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
        _change?.Append(transaction, _next, _at.Value, key);
        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The change row an allocation commits: its size and columns as Ipam writes them for <c>allocation.created</c>.</summary>
    private sealed class ChangeRowAppend : IDisposable
    {
        private readonly SqliteCommand _append;
        private readonly SqliteParameter _address;
        private readonly SqliteParameter _at;
        private readonly SqliteParameter _after;
        private readonly SqliteParameter _key;
        private readonly string _subnet;

        public ChangeRowAppend(SqliteConnection connection, string subnet)
        {
            _subnet = subnet;
            _append = connection.CreateCommand();
            _append.CommandText = """
                INSERT INTO bench_raw_changes (at, type, actor, subnet_id, ip_address, cidr, after, ip)
                VALUES ($at, 'allocation.created', 'anonymous', $subnet, $address, '10.0.0.0/8', $after, $key)
                """;
            _append.Parameters.AddWithValue("$subnet", subnet);
            _address = _append.Parameters.Add("$address", SqliteType.Text);
            _at = _append.Parameters.Add("$at", SqliteType.Text);
            _after = _append.Parameters.Add("$after", SqliteType.Text);
            _key = _append.Parameters.Add("$key", SqliteType.Blob);
        }

        public void Append(SqliteTransaction transaction, long number, object? at, byte[] key)
        {
            _append.Transaction = transaction;
            var address = $"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}";
            _address.Value = address;
            _at.Value = at;
            _key.Value = key;
            _after.Value = """{"owner":"probe"}""";
            _append.ExecuteNonQuery();
        }

        public void Dispose() => _append.Dispose();
    }
}
