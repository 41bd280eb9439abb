using System.Net;
using Ipam.Addressing;
using Ipam.Storage.Sql;
using Ipam.Subnets;
using Npgsql;
using NpgsqlTypes;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// The direct load into a PostgreSQL database (see <see cref="ScaleLoader"/>), with binary COPY, as pg_restore
/// loads: the keys, foreign keys and indexes of <c>allocations</c> and <c>allocation_pools</c> dropped first
/// (<see cref="PostgresDeferredKeys"/>); then the subnets and their pools in one transaction and the allocations
/// in one COPY. Afterwards the keys and indexes are created again as they were (every row checked in one pass
/// each), and every subnet's usage row is counted by the repair path's expressions, through the end of the log; then VACUUM (ANALYZE) and a checkpoint, as after a restore, so that neither
/// autovacuum nor the first reads of the loaded pages run inside the measurements.
/// </summary>
internal sealed class ScalePostgresLoader : IScaleLoadTarget
{
    private const string CopyAllocations = "COPY allocations (subnet_id, ip, created_at, created_by) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlConnection _connection;
    private readonly DateTime _at = DateTime.UtcNow;
    private NpgsqlBinaryImporter? _copy;
    private Guid _subnetId;
    private PostgresDeferredKeys? _keys;

    public ScalePostgresLoader(string connectionString)
    {
        // The recount and the vacuum read every allocation: past any statement deadline at 10^7 on two busy cores.
        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0, Pooling = false }.ConnectionString);
        _connection.Open();
        Execute("SET synchronous_commit = off");
        Execute("SET maintenance_work_mem = '256MB'");
    }

    public long DatabaseBytes() => Scalar<long>("SELECT pg_database_size(current_database())");

    public long SettledBytes() => DatabaseBytes();

    public int DeferKeys()
    {
        _keys = PostgresDeferredKeys.Drop(_connection, "allocation_pools", "allocations");
        return _keys.Count;
    }

    public void RestoreKeys() => _keys?.Restore(_connection);

    public void InsertSubnets(IReadOnlyList<Subnet> subnets)
    {
        using var transaction = _connection.BeginTransaction();
        using (var copy = _connection.BeginBinaryImport(
            "COPY subnets (id, cidr, ip_version, network, prefix_length, gateway, name, created_at, revision, reuse_cooldown_seconds) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var subnet in subnets)
            {
                var cidr = subnet.Cidr;
                copy.StartRow();
                copy.Write(subnet.Id, NpgsqlDbType.Uuid);
                copy.Write(new IPNetwork(cidr.Network.ToIPAddress(), cidr.PrefixLength), NpgsqlDbType.Cidr);
                copy.Write((short)cidr.Version, NpgsqlDbType.Smallint);
                copy.Write(cidr.Network.ToKey(), NpgsqlDbType.Bytea);
                copy.Write((short)cidr.PrefixLength, NpgsqlDbType.Smallint);
                if (subnet.Gateway is { } gateway)
                {
                    copy.Write(gateway.ToKey(), NpgsqlDbType.Bytea);
                }
                else
                {
                    copy.WriteNull();
                }

                copy.Write(subnet.Name, NpgsqlDbType.Text);
                copy.Write(subnet.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(subnet.Revision, NpgsqlDbType.Bigint);
                copy.Write(subnet.ReuseCooldownSeconds, NpgsqlDbType.Integer);
            }

            copy.Complete();
        }

        using (var copy = _connection.BeginBinaryImport("COPY allocation_pools (subnet_id, first_ip, last_ip) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var subnet in subnets)
            {
                foreach (var range in subnet.AllocationPools)
                {
                    copy.StartRow();
                    copy.Write(subnet.Id, NpgsqlDbType.Uuid);
                    copy.Write(range.First.ToKey(), NpgsqlDbType.Bytea);
                    copy.Write(range.Last.ToKey(), NpgsqlDbType.Bytea);
                }
            }

            copy.Complete();
        }

        transaction.Commit();
    }

    public void BeginSubnet(Guid subnetId)
    {
        _subnetId = subnetId;
        _copy ??= _connection.BeginBinaryImport(CopyAllocations);
    }

    public void Add(IpAddress address)
    {
        _copy!.StartRow();
        _copy.Write(_subnetId, NpgsqlDbType.Uuid);
        _copy.Write(address.ToKey(), NpgsqlDbType.Bytea);
        _copy.Write(_at, NpgsqlDbType.TimestampTz);
        _copy.Write("scale-load", NpgsqlDbType.Text);
    }

    /// <summary>Nothing: with no key to check, one COPY takes every subnet's rows.</summary>
    public void EndSubnet()
    {
    }

    public void EndAllocations()
    {
        _copy?.Complete();
        _copy?.Dispose();
        _copy = null;
    }

    public void Recount()
    {
        using var transaction = _connection.BeginTransaction();
        Execute("DELETE FROM subnet_usage");
        Execute($"""
            INSERT INTO subnet_usage (subnet_id, allocated, in_pools, counted_through)
            SELECT s.id, {UsageSql.Allocated("s.id")}, {UsageSql.InPools("s.id")}, coalesce((SELECT max(seq) FROM changes), 0) FROM subnets s
            """);
        transaction.Commit();
    }

    public void Settle()
    {
        Execute("VACUUM (ANALYZE)");
        try
        {
            Execute("CHECKPOINT");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // A --pg server where this role may not checkpoint: the server's own checkpoints then fall where they fall.
        }
    }

    /// <summary>Bytes per table and index of the schema (main fork), largest first.</summary>
    public Dictionary<string, long> BytesByTable()
    {
        using var command = new NpgsqlCommand("""
            SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i')
            ORDER BY 2 DESC
            """, _connection);
        using var reader = command.ExecuteReader();
        var sizes = new Dictionary<string, long>();
        while (reader.Read())
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sizes;
    }

    public void Dispose()
    {
        _copy?.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        return (T)command.ExecuteScalar()!;
    }
}
