using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;
using static Ipam.Storage.Sqlite.SqliteValues;

namespace Ipam.Storage.Sqlite;

/// <summary>One unit of work on a SQLite connection inside an open transaction.</summary>
internal sealed partial class SqliteSession(SqliteConnection connection, SqliteTransaction transaction, SqliteCommandCache commands)
    : IIpamSession
{
    private const string SubnetColumns =
        "id, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision";

    private const int SqliteConstraintForeignKey = 787;

    private readonly List<Action> _onCommitted = [];
    private readonly List<Action> _onRolledBack = [];

    public SqliteConnection Connection => connection;

    public SqliteTransaction Transaction => transaction;

    public IReadOnlyList<Action> CommitActions => _onCommitted;

    public IReadOnlyList<Action> RollbackActions => _onRolledBack;

    public void OnCommitted(Action action) => _onCommitted.Add(action);

    public void OnRolledBack(Action action) => _onRolledBack.Add(action);

    public ValueTask<Subnet?> FindSubnetAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command($"SELECT {SubnetColumns} FROM subnets WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? ReadSubnet(reader) : null);
    }

    // The single writer runs one unit of work at a time, so reading the row is all the locking needed.
    public ValueTask<Subnet?> LockSubnetAsync(Guid id, CancellationToken cancellationToken) => FindSubnetAsync(id, cancellationToken);

    public ValueTask<long?> FindSubnetRevisionAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command("SELECT revision FROM subnets WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        return ValueTask.FromResult(command.ExecuteScalar() is long revision ? revision : (long?)null);
    }

    public ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(SubnetQuery query, CancellationToken cancellationToken)
    {
        var command = Command($"""
            SELECT {SubnetColumns} FROM subnets
            WHERE ($after IS NULL OR id > $after)
              AND ($pool IS NULL OR subnet_pool_id = $pool)
              AND ($tenant IS NULL OR tenant_id = $tenant)
              AND ($version IS NULL OR ip_version = $version)
            ORDER BY id LIMIT $limit
            """);
        command.Parameters.AddWithValue("$after", OrNull(query.After is { } after ? Id(after) : null));
        command.Parameters.AddWithValue("$pool", OrNull(query.SubnetPoolId is { } pool ? Id(pool) : null));
        command.Parameters.AddWithValue("$tenant", OrNull(query.TenantId));
        command.Parameters.AddWithValue("$version", OrNull(query.IpVersion is { } v ? (int)v : null));
        command.Parameters.AddWithValue("$limit", query.Limit);
        var subnets = new List<Subnet>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                subnets.Add(ReadSubnet(reader));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Subnet>>(subnets);
    }

    public ValueTask InsertSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        var command = Command("""
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision)
            VALUES ($id, $cidr, $version, $network, $prefix, $gateway, $mode, $name, $tenant, $pool, $created, $revision)
            """);
        command.Parameters.AddWithValue("$id", Id(subnet.Id));
        command.Parameters.AddWithValue("$cidr", subnet.Cidr.ToString());
        command.Parameters.AddWithValue("$version", (int)subnet.Version);
        command.Parameters.AddWithValue("$network", Key(subnet.Cidr.Network));
        command.Parameters.AddWithValue("$prefix", subnet.Cidr.PrefixLength);
        command.Parameters.AddWithValue("$gateway", OrNull(subnet.Gateway is { } g ? Key(g) : null));
        command.Parameters.AddWithValue("$mode", OrNull(subnet.Ipv6AddressMode?.ToWire()));
        command.Parameters.AddWithValue("$name", OrNull(subnet.Name));
        command.Parameters.AddWithValue("$tenant", OrNull(subnet.TenantId));
        command.Parameters.AddWithValue("$pool", OrNull(subnet.SubnetPoolId is { } p ? Id(p) : null));
        command.Parameters.AddWithValue("$created", Time(subnet.CreatedAt));
        command.Parameters.AddWithValue("$revision", subnet.Revision);
        command.ExecuteNonQuery();
        InsertPools(subnet);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        var command = Command("UPDATE subnets SET name = $name, gateway = $gateway, revision = $revision WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(subnet.Id));
        command.Parameters.AddWithValue("$name", OrNull(subnet.Name));
        command.Parameters.AddWithValue("$gateway", OrNull(subnet.Gateway is { } g ? Key(g) : null));
        command.Parameters.AddWithValue("$revision", subnet.Revision);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new SubnetNotFoundException(subnet.Id);
        }

        var delete = Command("DELETE FROM allocation_pools WHERE subnet_id = $id");
        delete.Parameters.AddWithValue("$id", Id(subnet.Id));
        delete.ExecuteNonQuery();
        InsertPools(subnet);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteSubnetAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM subnets WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        return ValueTask.FromResult(command.ExecuteNonQuery() > 0);
    }

    public ValueTask<bool> TryInsertAllocationAsync(Allocation allocation, CancellationToken cancellationToken)
    {
        var command = Command("""
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at)
            VALUES ($subnet, $ip, $owner, $description, $created, $expires)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """);
        command.Parameters.AddWithValue("$subnet", Id(allocation.SubnetId));
        command.Parameters.AddWithValue("$ip", Key(allocation.Address));
        command.Parameters.AddWithValue("$owner", OrNull(allocation.Owner));
        command.Parameters.AddWithValue("$description", OrNull(allocation.Description));
        command.Parameters.AddWithValue("$created", Time(allocation.CreatedAt));
        command.Parameters.AddWithValue("$expires", OrNull(allocation.ExpiresAt is { } e ? Time(e) : null));
        try
        {
            return ValueTask.FromResult(command.ExecuteNonQuery() == 1);
        }
        catch (SqliteException error) when (error.SqliteExtendedErrorCode == SqliteConstraintForeignKey)
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }

    public ValueTask<Allocation?> FindAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        var command = Command("""
            SELECT ip, owner, description, created_at, expires_at FROM allocations WHERE subnet_id = $subnet AND ip = $ip
            """);
        command.Parameters.AddWithValue("$subnet", Id(subnetId));
        command.Parameters.AddWithValue("$ip", Key(address));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? ReadAllocation(reader, subnetId, address.Version) : null);
    }

    public ValueTask<bool> DeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM allocations WHERE subnet_id = $subnet AND ip = $ip");
        command.Parameters.AddWithValue("$subnet", Id(subnetId));
        command.Parameters.AddWithValue("$ip", Key(address));
        return ValueTask.FromResult(command.ExecuteNonQuery() > 0);
    }

    /// <summary>
    /// A page of a subnet's allocations in address order. <c>$after</c> is never NULL (an empty BLOB sorts
    /// before every key), so the bound is a range on the index instead of a filter.
    /// </summary>
    internal const string ListAllocationsSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $subnet AND a.ip > $after
        ORDER BY a.ip LIMIT $limit
        """;

    /// <summary>
    /// The same, by owner: <c>a.owner = $owner</c> implies the partial index's <c>owner IS NOT NULL</c>, so
    /// the page is read from <c>allocations_owner</c> in address order.
    /// </summary>
    internal const string ListAllocationsByOwnerSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, s.ip_version
        FROM allocations a INDEXED BY allocations_owner JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $subnet AND a.owner = $owner AND a.ip > $after
        ORDER BY a.ip LIMIT $limit
        """;

    public ValueTask<IReadOnlyList<Allocation>> ListAllocationsAsync(AllocationQuery query, CancellationToken cancellationToken)
    {
        var command = Command(query.Owner is null ? ListAllocationsSql : ListAllocationsByOwnerSql);
        command.Parameters.AddWithValue("$subnet", Id(query.SubnetId));
        command.Parameters.AddWithValue("$after", query.After is { } after ? Key(after) : []);
        if (query.Owner is not null)
        {
            command.Parameters.AddWithValue("$owner", query.Owner);
        }

        command.Parameters.AddWithValue("$limit", query.Limit);
        var allocations = new List<Allocation>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                allocations.Add(ReadAllocation(reader, query.SubnetId, (IpVersion)reader.GetInt32(5)));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Allocation>>(allocations);
    }

    public ValueTask<IReadOnlyList<IpAddress>> ListAllocatedAddressesAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken)
    {
        var command = Command("SELECT ip FROM allocations WHERE subnet_id = $subnet ORDER BY ip");
        command.Parameters.AddWithValue("$subnet", Id(subnetId));
        var addresses = new List<IpAddress>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                addresses.Add(Address(version, (byte[])reader[0]));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IpAddress>>(addresses);
    }

    public ValueTask<long> CountAllocationsAsync(Guid subnetId, AddressRange? range, CancellationToken cancellationToken)
    {
        var command = Command("""
            SELECT count(*) FROM allocations
            WHERE subnet_id = $subnet AND ($first IS NULL OR ip BETWEEN $first AND $last)
            """);
        command.Parameters.AddWithValue("$subnet", Id(subnetId));
        command.Parameters.AddWithValue("$first", OrNull(range is { } r ? Key(r.First) : null));
        command.Parameters.AddWithValue("$last", OrNull(range is { } r2 ? Key(r2.Last) : null));
        return ValueTask.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public ValueTask<IReadOnlyList<(Guid SubnetId, IpAddress Address)>> DeleteExpiredAllocationsAsync(
        DateTimeOffset now, Guid? subnetId, CancellationToken cancellationToken)
    {
        var command = Command("""
            DELETE FROM allocations
            WHERE expires_at IS NOT NULL AND expires_at <= $now AND ($subnet IS NULL OR subnet_id = $subnet)
            RETURNING subnet_id, ip, (SELECT ip_version FROM subnets s WHERE s.id = allocations.subnet_id)
            """);
        command.Parameters.AddWithValue("$now", Time(now));
        command.Parameters.AddWithValue("$subnet", OrNull(subnetId is { } s ? Id(s) : null));
        var released = new List<(Guid, IpAddress)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                released.Add((Id(reader.GetString(0)), Address((IpVersion)reader.GetInt32(2), (byte[])reader[1])));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<(Guid, IpAddress)>>(released);
    }

    public ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(string key, CancellationToken cancellationToken)
    {
        var command = Command("SELECT fingerprint, response, created_at FROM idempotency_keys WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new IdempotencyRecord(key, reader.GetString(0), reader.GetString(1), Time(reader.GetString(2)))
            : null);
    }

    public ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var command = Command("INSERT INTO idempotency_keys (key, fingerprint, response, created_at) VALUES ($key, $fingerprint, $response, $created)");
        command.Parameters.AddWithValue("$key", record.Key);
        command.Parameters.AddWithValue("$fingerprint", record.Fingerprint);
        command.Parameters.AddWithValue("$response", record.Response);
        command.Parameters.AddWithValue("$created", Time(record.CreatedAt));
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM idempotency_keys WHERE created_at < $cutoff");
        command.Parameters.AddWithValue("$cutoff", Time(cutoff));
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    private void InsertPools(Subnet subnet)
    {
        var command = Command("INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES ($subnet, $first, $last)");
        foreach (var pool in subnet.AllocationPools)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$subnet", Id(subnet.Id));
            command.Parameters.AddWithValue("$first", Key(pool.First));
            command.Parameters.AddWithValue("$last", Key(pool.Last));
            command.ExecuteNonQuery();
        }
    }

    private Subnet ReadSubnet(SqliteDataReader reader)
    {
        var id = Id(reader.GetString(0));
        var version = (IpVersion)reader.GetInt32(1);
        var network = Address(version, (byte[])reader[2]);
        Ipv6AddressMode? mode = reader.IsDBNull(5) ? null
            : Ipv6AddressModes.TryParse(reader.GetString(5), out var parsed) ? parsed
            : throw new InvalidDataException($"Unknown ipv6_address_mode in subnet {id}.");
        return new Subnet
        {
            Id = id,
            Cidr = new Cidr(network, reader.GetInt32(3)),
            Gateway = reader.IsDBNull(4) ? null : Address(version, (byte[])reader[4]),
            Ipv6AddressMode = mode,
            Name = reader.IsDBNull(6) ? null : reader.GetString(6),
            TenantId = reader.IsDBNull(7) ? null : reader.GetString(7),
            SubnetPoolId = reader.IsDBNull(8) ? null : Id(reader.GetString(8)),
            CreatedAt = Time(reader.GetString(9)),
            Revision = reader.GetInt64(10),
            AllocationPools = ReadPools(id, version),
        };
    }

    private List<AddressRange> ReadPools(Guid subnetId, IpVersion version)
    {
        var command = Command("SELECT first_ip, last_ip FROM allocation_pools WHERE subnet_id = $subnet ORDER BY first_ip");
        command.Parameters.AddWithValue("$subnet", Id(subnetId));
        var pools = new List<AddressRange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            pools.Add(new AddressRange(Address(version, (byte[])reader[0]), Address(version, (byte[])reader[1])));
        }

        return pools;
    }

    private static Allocation ReadAllocation(SqliteDataReader reader, Guid subnetId, IpVersion version) => new()
    {
        SubnetId = subnetId,
        Address = Address(version, (byte[])reader[0]),
        Owner = reader.IsDBNull(1) ? null : reader.GetString(1),
        Description = reader.IsDBNull(2) ? null : reader.GetString(2),
        CreatedAt = Time(reader.GetString(3)),
        ExpiresAt = reader.IsDBNull(4) ? null : Time(reader.GetString(4)),
    };

    private SqliteCommand Command(string sql) => commands.Get(connection, transaction, sql);
}
