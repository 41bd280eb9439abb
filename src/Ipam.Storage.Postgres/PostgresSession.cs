using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;
using Ipam.Subnets;
using Npgsql;
using NpgsqlTypes;

namespace Ipam.Storage.Postgres;

/// <summary>One unit of work on a PostgreSQL connection inside an open transaction.</summary>
/// <remarks>
/// <c>sharedLocks</c>, when given, holds subnet revisions already read under a share lock by earlier units
/// of the same transaction that can no longer be undone alone: the lock holds until commit, so only this
/// transaction can change the revision meanwhile, and any statement that could change it clears the map.
/// </remarks>
internal sealed partial class PostgresSession(
    NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<Guid, long>? sharedLocks = null) : IIpamSession
{
    private const string SubnetColumns =
        "id, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision";

    private readonly List<Action> _onCommitted = [];
    private readonly List<Action> _onRolledBack = [];

    public IReadOnlyList<Action> CommitActions => _onCommitted;

    /// <summary>
    /// Whether this unit may have changed rows: set by every statement other than a SELECT, and cleared
    /// again by the allocation insert and delete when they touched no row, the usual way a request fails.
    /// </summary>
    public bool Modified { get; private set; }

    public IReadOnlyList<Action> RollbackActions => _onRolledBack;

    public void OnCommitted(Action action) => _onCommitted.Add(action);

    public void OnRolledBack(Action action) => _onRolledBack.Add(action);

    public ValueTask<Subnet?> FindSubnetAsync(Guid id, CancellationToken cancellationToken) =>
        ReadSubnetAsync($"SELECT {SubnetColumns} FROM subnets WHERE id = $1", id, cancellationToken);

    /// <summary>Row lock: waits for allocations holding the row (FOR SHARE) and keeps new ones out until commit.</summary>
    public ValueTask<Subnet?> LockSubnetAsync(Guid id, CancellationToken cancellationToken) =>
        ReadSubnetAsync($"SELECT {SubnetColumns} FROM subnets WHERE id = $1 FOR UPDATE", id, cancellationToken);

    private async ValueTask<Subnet?> ReadSubnetAsync(string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, Uuid(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var subnet = ReadSubnet(reader);
        await reader.DisposeAsync().ConfigureAwait(false);
        return subnet with { AllocationPools = await ReadPoolsAsync(id, subnet.Version, cancellationToken).ConfigureAwait(false) };
    }

    /// <remarks>
    /// Takes a share lock on the subnet row: allocations never block each other, but a concurrent pool or
    /// gateway update (or a delete) waits until this unit commits, so it validates against committed rows.
    /// </remarks>
    public async ValueTask<long?> FindSubnetRevisionAsync(Guid id, CancellationToken cancellationToken)
    {
        if (sharedLocks is not null && sharedLocks.TryGetValue(id, out var locked))
        {
            return locked;
        }

        await using var command = Command("SELECT revision FROM subnets WHERE id = $1 FOR SHARE", Uuid(id));
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long revision)
        {
            return null;
        }

        sharedLocks?.Add(id, revision);
        return revision;
    }

    public async ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(SubnetQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command($"""
            SELECT {SubnetColumns} FROM subnets
            WHERE ($1::uuid IS NULL OR id > $1)
              AND ($2::uuid IS NULL OR subnet_pool_id = $2)
              AND ($3::text IS NULL OR tenant_id = $3)
              AND ($4::smallint IS NULL OR ip_version = $4)
            ORDER BY id LIMIT $5
            """,
            Nullable(query.After, NpgsqlDbType.Uuid),
            Nullable(query.SubnetPoolId, NpgsqlDbType.Uuid),
            Nullable(query.TenantId, NpgsqlDbType.Text),
            Nullable(query.IpVersion is { } v ? (short)v : null, NpgsqlDbType.Smallint),
            new NpgsqlParameter { Value = query.Limit, NpgsqlDbType = NpgsqlDbType.Integer });
        var subnets = new List<Subnet>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                subnets.Add(ReadSubnet(reader));
            }
        }

        for (var i = 0; i < subnets.Count; i++)
        {
            subnets[i] = subnets[i] with { AllocationPools = await ReadPoolsAsync(subnets[i].Id, subnets[i].Version, cancellationToken).ConfigureAwait(false) };
        }

        return subnets;
    }

    public async ValueTask InsertSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision)
            VALUES ($1, $2::cidr, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            Uuid(subnet.Id),
            new NpgsqlParameter { Value = subnet.Cidr.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (short)subnet.Version, NpgsqlDbType = NpgsqlDbType.Smallint },
            Key(subnet.Cidr.Network),
            new NpgsqlParameter { Value = (short)subnet.Cidr.PrefixLength, NpgsqlDbType = NpgsqlDbType.Smallint },
            Nullable(subnet.Gateway is { } g ? g.ToKey() : null, NpgsqlDbType.Bytea),
            Nullable(subnet.Ipv6AddressMode?.ToWire(), NpgsqlDbType.Text),
            Nullable(subnet.Name, NpgsqlDbType.Text),
            Nullable(subnet.TenantId, NpgsqlDbType.Text),
            Nullable(subnet.SubnetPoolId, NpgsqlDbType.Uuid),
            Time(subnet.CreatedAt),
            new NpgsqlParameter { Value = subnet.Revision, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await InsertPoolsAsync(subnet, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateSubnetAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE subnets SET name = $2, gateway = $3, revision = $4 WHERE id = $1",
            Uuid(subnet.Id),
            Nullable(subnet.Name, NpgsqlDbType.Text),
            Nullable(subnet.Gateway is { } g ? g.ToKey() : null, NpgsqlDbType.Bytea),
            new NpgsqlParameter { Value = subnet.Revision, NpgsqlDbType = NpgsqlDbType.Bigint });
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new SubnetNotFoundException(subnet.Id);
        }

        await using var delete = Command("DELETE FROM allocation_pools WHERE subnet_id = $1", Uuid(subnet.Id));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await InsertPoolsAsync(subnet, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteSubnetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM subnets WHERE id = $1", Uuid(id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async ValueTask<bool> TryInsertAllocationAsync(Allocation allocation, CancellationToken cancellationToken)
    {
        var modifiedBefore = Modified;
        await using var command = Command("""
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """,
            Uuid(allocation.SubnetId),
            Key(allocation.Address),
            Nullable(allocation.Owner, NpgsqlDbType.Text),
            Nullable(allocation.Description, NpgsqlDbType.Text),
            Time(allocation.CreatedAt),
            Nullable(allocation.ExpiresAt, NpgsqlDbType.TimestampTz));
        try
        {
            return await ChangeRowsAsync(command, modifiedBefore, cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }

    public async ValueTask<Allocation?> FindAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT ip, owner, description, created_at, expires_at FROM allocations WHERE subnet_id = $1 AND ip = $2",
            Uuid(subnetId), Key(address));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAllocation(reader, subnetId, address.Version) : null;
    }

    public async ValueTask<bool> DeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        var modifiedBefore = Modified;
        await using var command = Command("DELETE FROM allocations WHERE subnet_id = $1 AND ip = $2", Uuid(subnetId), Key(address));
        return await ChangeRowsAsync(command, modifiedBefore, cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// A page of a subnet's allocations in address order. <c>$2</c> is never NULL (an empty bytea sorts before
    /// every key), so the bound is a range on the primary key instead of a filter.
    /// </summary>
    internal const string ListAllocationsSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    /// <summary>
    /// The same, by owner: <c>a.owner = $4</c> implies the partial index's <c>owner IS NOT NULL</c>, so the
    /// page can be read from <c>allocations_owner</c> in address order.
    /// </summary>
    internal const string ListAllocationsByOwnerSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.owner = $4 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    public async ValueTask<IReadOnlyList<Allocation>> ListAllocationsAsync(AllocationQuery query, CancellationToken cancellationToken)
    {
        await using var command = query.Owner is null
            ? Command(ListAllocationsSql, Uuid(query.SubnetId), After(query), Limit(query))
            : Command(ListAllocationsByOwnerSql, Uuid(query.SubnetId), After(query), Limit(query),
                new NpgsqlParameter { Value = query.Owner, NpgsqlDbType = NpgsqlDbType.Text });
        var allocations = new List<Allocation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            allocations.Add(ReadAllocation(reader, query.SubnetId, (IpVersion)reader.GetInt16(5)));
        }

        return allocations;
    }

    public async ValueTask<IReadOnlyList<IpAddress>> ListAllocatedAddressesAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT ip FROM allocations WHERE subnet_id = $1 ORDER BY ip", Uuid(subnetId));
        var addresses = new List<IpAddress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            addresses.Add(IpAddress.FromKey(version, (byte[])reader[0]));
        }

        return addresses;
    }

    public async ValueTask<long> CountAllocationsAsync(Guid subnetId, AddressRange? range, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT count(*) FROM allocations
            WHERE subnet_id = $1 AND ($2::bytea IS NULL OR ip BETWEEN $2 AND $3)
            """,
            Uuid(subnetId),
            Nullable(range?.First.ToKey(), NpgsqlDbType.Bytea),
            Nullable(range?.Last.ToKey(), NpgsqlDbType.Bytea));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<IReadOnlyList<(Guid SubnetId, IpAddress Address)>> DeleteExpiredAllocationsAsync(
        DateTimeOffset now, Guid? subnetId, CancellationToken cancellationToken)
    {
        var modifiedBefore = Modified;
        await using var command = Command("""
            DELETE FROM allocations a USING subnets s
            WHERE s.id = a.subnet_id AND a.expires_at IS NOT NULL AND a.expires_at <= $1 AND ($2::uuid IS NULL OR a.subnet_id = $2)
            RETURNING a.subnet_id, a.ip, s.ip_version
            """,
            Time(now), Nullable(subnetId, NpgsqlDbType.Uuid));
        var released = new List<(Guid, IpAddress)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            released.Add((reader.GetGuid(0), IpAddress.FromKey((IpVersion)reader.GetInt16(2), (byte[])reader[1])));
        }

        Modified = modifiedBefore || released.Count > 0;
        return released;
    }

    public async ValueTask<IdempotencyRecord?> FindIdempotencyRecordAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT fingerprint, response, created_at FROM idempotency_keys WHERE key = $1",
            new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new IdempotencyRecord(key, reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    public async ValueTask InsertIdempotencyRecordAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO idempotency_keys (key, fingerprint, response, created_at) VALUES ($1, $2, $3, $4)",
            new NpgsqlParameter { Value = record.Key, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = record.Fingerprint, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = record.Response, NpgsqlDbType = NpgsqlDbType.Text },
            Time(record.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteIdempotencyRecordsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM idempotency_keys WHERE created_at < $1", Time(cutoff));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask InsertPoolsAsync(Subnet subnet, CancellationToken cancellationToken)
    {
        foreach (var pool in subnet.AllocationPools)
        {
            await using var command = Command("INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES ($1, $2, $3)",
                Uuid(subnet.Id), Key(pool.First), Key(pool.Last));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<List<AddressRange>> ReadPoolsAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT first_ip, last_ip FROM allocation_pools WHERE subnet_id = $1 ORDER BY first_ip", Uuid(subnetId));
        var pools = new List<AddressRange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pools.Add(new AddressRange(IpAddress.FromKey(version, (byte[])reader[0]), IpAddress.FromKey(version, (byte[])reader[1])));
        }

        return pools;
    }

    /// <summary>Reads the subnet row; its pools are read separately (one reader per connection at a time).</summary>
    private static Subnet ReadSubnet(NpgsqlDataReader reader)
    {
        var id = reader.GetGuid(0);
        var version = (IpVersion)reader.GetInt16(1);
        Ipv6AddressMode? mode = reader.IsDBNull(5) ? null
            : Ipv6AddressModes.TryParse(reader.GetString(5), out var parsed) ? parsed
            : throw new InvalidDataException($"Unknown ipv6_address_mode in subnet {id}.");
        return new Subnet
        {
            Id = id,
            Cidr = new Cidr(IpAddress.FromKey(version, (byte[])reader[2]), reader.GetInt16(3)),
            Gateway = reader.IsDBNull(4) ? null : IpAddress.FromKey(version, (byte[])reader[4]),
            Ipv6AddressMode = mode,
            Name = reader.IsDBNull(6) ? null : reader.GetString(6),
            TenantId = reader.IsDBNull(7) ? null : reader.GetString(7),
            SubnetPoolId = reader.IsDBNull(8) ? null : reader.GetGuid(8),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
            Revision = reader.GetInt64(10),
            AllocationPools = [],
        };
    }

    private static Allocation ReadAllocation(NpgsqlDataReader reader, Guid subnetId, IpVersion version) => new()
    {
        SubnetId = subnetId,
        Address = IpAddress.FromKey(version, (byte[])reader[0]),
        Owner = reader.IsDBNull(1) ? null : reader.GetString(1),
        Description = reader.IsDBNull(2) ? null : reader.GetString(2),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
        ExpiresAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
    };

    /// <summary>Runs a change; one that touched no row leaves <see cref="Modified"/> as it was before it.</summary>
    private async ValueTask<int> ChangeRowsAsync(NpgsqlCommand command, bool modifiedBefore, CancellationToken cancellationToken)
    {
        var rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Modified = modifiedBefore || rows > 0;
        return rows;
    }

    private NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        if (!sql.StartsWith("SELECT", StringComparison.Ordinal))
        {
            Modified = true;
            if (!sql.StartsWith("INSERT INTO allocations ", StringComparison.Ordinal) && !sql.StartsWith("DELETE FROM allocations ", StringComparison.Ordinal))
            {
                sharedLocks?.Clear();
            }
        }

        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter After(AllocationQuery query) =>
        new() { Value = query.After is { } after ? after.ToKey() : Array.Empty<byte>(), NpgsqlDbType = NpgsqlDbType.Bytea };

    private static NpgsqlParameter Limit(AllocationQuery query) => new() { Value = query.Limit, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Uuid(Guid id) => new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Key(IpAddress address) => new() { Value = address.ToKey(), NpgsqlDbType = NpgsqlDbType.Bytea };

    private static NpgsqlParameter Time(DateTimeOffset time) => new() { Value = time.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new()
    {
        Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => time.ToUniversalTime(),
            _ => value,
        },
        NpgsqlDbType = type,
    };
}
