using System.Globalization;
using System.Text;
using Ipam.Addressing;
using Ipam.Storage.Sql;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// The direct load into a SQLite file (see <see cref="ScaleLoader"/>): large transactions (250,000 allocations
/// each), one usage row per subnet from the database's own trigger, counted afterwards, the WAL checkpointed at
/// the end.
/// </summary>
internal sealed class ScaleSqliteLoader : IScaleLoadTarget
{
    private const int RowsPerTransaction = 250_000;

    private const int RowsPerStatement = 5_000;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly StringBuilder _batch = new();
    private SqliteCommand? _insert;
    private SqliteTransaction? _transaction;
    private int _inBatch;
    private long _written;
    private long _committed;

    public ScaleSqliteLoader(string path)
    {
        _path = path;
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("PRAGMA foreign_keys = ON");
        Execute("PRAGMA synchronous = OFF");
        Execute("PRAGMA cache_size = -65536");
    }

    /// <summary>The database's size in pages (committed, whether still in the WAL or not), in bytes.</summary>
    public long DatabaseBytes()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return (long)command.ExecuteScalar()!;
    }

    public long SettledBytes() => new FileInfo(_path).Length;

    /// <summary>
    /// Nothing: SQLite drops a constraint only by rebuilding its table, and checks a foreign key as the row is
    /// written, with one lookup in the parent's primary key, not queued to the end of the statement.
    /// </summary>
    public int DeferKeys() => 0;

    public void RestoreKeys()
    {
    }

    public void InsertSubnets(IReadOnlyList<Subnet> subnets)
    {
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, name, created_at, revision, reuse_cooldown_seconds)
            VALUES ($id, $cidr, $version, $network, $prefix, $gateway, $name, $created, $revision, 0)
            """;
        using var pool = _connection.CreateCommand();
        pool.Transaction = transaction;
        pool.CommandText = "INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES ($subnet, $first, $last)";
        foreach (var subnet in subnets)
        {
            var cidr = subnet.Cidr;
            Run(insert, ("$id", subnet.Id.ToString("D")), ("$cidr", cidr.ToString()), ("$version", (int)cidr.Version), ("$network", cidr.Network.ToKey()),
                ("$prefix", cidr.PrefixLength), ("$gateway", (object?)subnet.Gateway?.ToKey() ?? DBNull.Value), ("$name", subnet.Name!),
                ("$created", subnet.CreatedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)), ("$revision", subnet.Revision));
            foreach (var range in subnet.AllocationPools)
            {
                Run(pool, ("$subnet", subnet.Id.ToString("D")), ("$first", range.First.ToKey()), ("$last", range.Last.ToKey()));
            }
        }

        transaction.Commit();
    }

    public void BeginSubnet(Guid subnetId)
    {
        if (_insert is null)
        {
            _insert = _connection.CreateCommand();
            // One statement per batch of a subnet's addresses, which SQLite unpacks itself (json_each, unhex): a
            // statement per row costs several times the insert.
            _insert.CommandText = """
                INSERT INTO allocations (subnet_id, ip, created_at, created_by)
                SELECT $subnet, unhex(value), $at, 'scale-load' FROM json_each($ips) ORDER BY key
                """;
            _insert.Parameters.Add("$subnet", SqliteType.Text);
            _insert.Parameters.Add("$ips", SqliteType.Text);
            _insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString(TimeFormat, CultureInfo.InvariantCulture));
            _transaction = _connection.BeginTransaction();
            _insert.Transaction = _transaction;
        }

        _insert.Parameters["$subnet"].Value = subnetId.ToString("D");
    }

    public void Add(IpAddress address)
    {
        _batch.Append(_inBatch == 0 ? "[\"" : ",\"").Append(Convert.ToHexString(address.ToKey())).Append('"');
        if (++_inBatch == RowsPerStatement)
        {
            Flush();
        }
    }

    public void EndSubnet() => Flush();

    public void EndAllocations()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
    }

    public void Recount()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(
            $"UPDATE subnet_usage SET allocated = {UsageSql.Allocated("subnet_usage.subnet_id")}, in_pools = {UsageSql.InPools("subnet_usage.subnet_id")}, " +
            "counted_through = coalesce((SELECT max(seq) FROM changes), 0)",
            transaction);
        transaction.Commit();
    }

    public void Settle() => Execute("PRAGMA wal_checkpoint(TRUNCATE)");

    /// <summary>Bytes per table and index (SQLite's dbstat), or nothing when this SQLite build has no dbstat.</summary>
    public Dictionary<string, long> BytesByTable()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC";
        var sizes = new Dictionary<string, long>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sizes[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (SqliteException)
        {
            // No dbstat in this build: the file size alone is reported.
        }

        return sizes;
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _insert?.Dispose();
        _connection.Dispose();
    }

    private void Flush()
    {
        if (_inBatch == 0)
        {
            return;
        }

        _insert!.Parameters["$ips"].Value = _batch.Append(']').ToString();
        _insert.ExecuteNonQuery();
        _written += _inBatch;
        _batch.Clear();
        _inBatch = 0;
        if (_written - _committed >= RowsPerTransaction)
        {
            _transaction!.Commit();
            _transaction.Dispose();
            _transaction = _connection.BeginTransaction();
            _insert.Transaction = _transaction;
            _committed = _written;
        }
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
