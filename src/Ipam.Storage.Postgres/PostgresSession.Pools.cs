using Ipam.Addressing;
using Ipam.Errors;
using Ipam.SubnetPools;
using Ipam.Scopes;
using Npgsql;
using NpgsqlTypes;

namespace Ipam.Storage.Postgres;

/// <summary>
/// Address scopes, subnet pools and the subnets allocated from them. Transactions run concurrently here, so
/// the Lock* reads take row locks (SELECT ... FOR UPDATE): prefix allocations, quota checks and changes of
/// one pool, and pool changes within one scope, run one at a time and their checks see committed rows.
/// </summary>
internal sealed partial class PostgresSession
{
    private const string ScopeColumns = "id, name, ip_version, tenant_id, created_at";

    private const string PoolColumns =
        "id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision";

    public ValueTask<AddressScope?> FindAddressScopeAsync(Guid id, CancellationToken cancellationToken) =>
        ReadScopeAsync($"SELECT {ScopeColumns} FROM address_scopes WHERE id = $1", id, cancellationToken);

    public ValueTask<AddressScope?> LockAddressScopeAsync(Guid id, CancellationToken cancellationToken) =>
        ReadScopeAsync($"SELECT {ScopeColumns} FROM address_scopes WHERE id = $1 FOR UPDATE", id, cancellationToken);

    public async ValueTask<IReadOnlyList<AddressScope>> ListAddressScopesAsync(AddressScopeQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command($"""
            SELECT {ScopeColumns} FROM address_scopes
            WHERE ($1::uuid IS NULL OR id > $1)
              AND ($2::smallint IS NULL OR ip_version = $2)
            ORDER BY id LIMIT $3
            """,
            Nullable(query.After, NpgsqlDbType.Uuid),
            Nullable(query.IpVersion is { } v ? (short)v : null, NpgsqlDbType.Smallint),
            new NpgsqlParameter { Value = query.Limit, NpgsqlDbType = NpgsqlDbType.Integer });
        var scopes = new List<AddressScope>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            scopes.Add(ReadScope(reader));
        }

        return scopes;
    }

    public async ValueTask InsertAddressScopeAsync(AddressScope scope, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            INSERT INTO address_scopes (id, name, ip_version, tenant_id, created_at) VALUES ($1, $2, $3, $4, $5)
            """,
            Uuid(scope.Id),
            new NpgsqlParameter { Value = scope.Name, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (short)scope.Version, NpgsqlDbType = NpgsqlDbType.Smallint },
            Nullable(scope.TenantId, NpgsqlDbType.Text),
            Time(scope.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteAddressScopeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM address_scopes WHERE id = $1", Uuid(id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async ValueTask<long> CountScopeSubnetPoolsAsync(Guid addressScopeId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT count(*) FROM subnet_pools WHERE address_scope_id = $1", Uuid(addressScopeId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<(Guid SubnetPoolId, Cidr Prefix)?> FindScopePrefixOverlappingAsync(
        Guid addressScopeId, Guid exceptSubnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT p.subnet_pool_id, p.first_ip, p.prefix_length
            FROM subnet_pool_prefixes p JOIN subnet_pools sp ON sp.id = p.subnet_pool_id
            WHERE sp.address_scope_id = $1 AND p.subnet_pool_id <> $2
              AND p.first_ip <= $4 AND p.last_ip >= $3
            ORDER BY p.first_ip LIMIT 1
            """,
            Uuid(addressScopeId), Uuid(exceptSubnetPoolId), Key(range.First), Key(range.Last));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetGuid(0), new Cidr(IpAddress.FromKey(range.Version, (byte[])reader[1]), reader.GetInt16(2)))
            : null;
    }

    public ValueTask<SubnetPool?> FindSubnetPoolAsync(Guid id, CancellationToken cancellationToken) =>
        ReadPoolAsync($"SELECT {PoolColumns} FROM subnet_pools WHERE id = $1", id, cancellationToken);

    public ValueTask<SubnetPool?> LockSubnetPoolAsync(Guid id, CancellationToken cancellationToken) =>
        ReadPoolAsync($"SELECT {PoolColumns} FROM subnet_pools WHERE id = $1 FOR UPDATE", id, cancellationToken);

    public async ValueTask<IReadOnlyList<SubnetPool>> ListSubnetPoolsAsync(SubnetPoolQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command($"""
            SELECT {PoolColumns} FROM subnet_pools
            WHERE ($1::uuid IS NULL OR id > $1)
              AND ($2::uuid IS NULL OR address_scope_id = $2)
              AND ($3::text IS NULL OR tenant_id = $3)
              AND ($4::smallint IS NULL OR ip_version = $4)
            ORDER BY id LIMIT $5
            """,
            Nullable(query.After, NpgsqlDbType.Uuid),
            Nullable(query.AddressScopeId, NpgsqlDbType.Uuid),
            Nullable(query.TenantId, NpgsqlDbType.Text),
            Nullable(query.IpVersion is { } v ? (short)v : null, NpgsqlDbType.Smallint),
            new NpgsqlParameter { Value = query.Limit, NpgsqlDbType = NpgsqlDbType.Integer });
        var pools = new List<SubnetPool>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pools.Add(ReadPool(reader));
            }
        }

        for (var i = 0; i < pools.Count; i++)
        {
            pools[i] = pools[i] with { Prefixes = await ReadPoolPrefixesAsync(pools[i].Id, pools[i].Version, cancellationToken).ConfigureAwait(false) };
        }

        return pools;
    }

    public async ValueTask InsertSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            INSERT INTO subnet_pools (id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            Uuid(pool.Id),
            new NpgsqlParameter { Value = pool.Name, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (short)pool.Version, NpgsqlDbType = NpgsqlDbType.Smallint },
            SmallInt(pool.DefaultPrefixLength),
            SmallInt(pool.MinPrefixLength),
            SmallInt(pool.MaxPrefixLength),
            Nullable(pool.DefaultQuota, NpgsqlDbType.Bigint),
            Nullable(pool.AddressScopeId, NpgsqlDbType.Uuid),
            Nullable(pool.TenantId, NpgsqlDbType.Text),
            Time(pool.CreatedAt),
            new NpgsqlParameter { Value = pool.Revision, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await InsertPoolPrefixesAsync(pool, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE subnet_pools
            SET name = $2, default_prefixlen = $3, min_prefixlen = $4, max_prefixlen = $5,
                default_quota = $6, address_scope_id = $7, revision = $8
            WHERE id = $1
            """,
            Uuid(pool.Id),
            new NpgsqlParameter { Value = pool.Name, NpgsqlDbType = NpgsqlDbType.Text },
            SmallInt(pool.DefaultPrefixLength),
            SmallInt(pool.MinPrefixLength),
            SmallInt(pool.MaxPrefixLength),
            Nullable(pool.DefaultQuota, NpgsqlDbType.Bigint),
            Nullable(pool.AddressScopeId, NpgsqlDbType.Uuid),
            new NpgsqlParameter { Value = pool.Revision, NpgsqlDbType = NpgsqlDbType.Bigint });
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new SubnetPoolNotFoundException(pool.Id);
        }

        await using var delete = Command("DELETE FROM subnet_pool_prefixes WHERE subnet_pool_id = $1", Uuid(pool.Id));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await InsertPoolPrefixesAsync(pool, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteSubnetPoolAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM subnet_pools WHERE id = $1", Uuid(id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async ValueTask<long> CountPoolSubnetsAsync(Guid subnetPoolId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT count(*) FROM subnets WHERE subnet_pool_id = $1", Uuid(subnetPoolId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsAsync(Guid subnetPoolId, IpVersion version, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT network, prefix_length FROM subnets WHERE subnet_pool_id = $1 ORDER BY network", Uuid(subnetPoolId));
        var cidrs = new List<Cidr>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cidrs.Add(new Cidr(IpAddress.FromKey(version, (byte[])reader[0]), reader.GetInt16(1)));
        }

        return cidrs;
    }

    public async ValueTask<Cidr?> FindPoolSubnetOverlappingAsync(Guid subnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        // A subnet starting inside the range overlaps it.
        await using var inside = Command("""
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = $1 AND network >= $2 AND network <= $3
            ORDER BY network LIMIT 1
            """,
            Uuid(subnetPoolId), Key(range.First), Key(range.Last));
        if (await ReadCidrAsync(inside, range.Version, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        // Otherwise only the last subnet starting before the range can reach into it (pool subnets never overlap).
        await using var before = Command("""
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = $1 AND network < $2
            ORDER BY network DESC LIMIT 1
            """,
            Uuid(subnetPoolId), Key(range.First));
        var preceding = await ReadCidrAsync(before, range.Version, cancellationToken).ConfigureAwait(false);
        return preceding is { } p && p.Last.Value >= range.First.Value ? p : null;
    }

    public async ValueTask<IReadOnlyList<(int PrefixLength, long Count)>> CountPoolSubnetsByPrefixLengthAsync(
        Guid subnetPoolId, string? tenantId, CancellationToken cancellationToken)
    {
        await using var command = tenantId is null
            ? Command("SELECT prefix_length, count(*) FROM subnets WHERE subnet_pool_id = $1 AND tenant_id IS NULL GROUP BY prefix_length",
                Uuid(subnetPoolId))
            : Command("SELECT prefix_length, count(*) FROM subnets WHERE subnet_pool_id = $1 AND tenant_id = $2 GROUP BY prefix_length",
                Uuid(subnetPoolId), new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Text });
        var counts = new List<(int, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add((reader.GetInt16(0), reader.GetInt64(1)));
        }

        return counts;
    }

    private async ValueTask InsertPoolPrefixesAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        foreach (var prefix in pool.Prefixes)
        {
            await using var command = Command("""
                INSERT INTO subnet_pool_prefixes (subnet_pool_id, cidr, first_ip, last_ip, prefix_length)
                VALUES ($1, $2::cidr, $3, $4, $5)
                """,
                Uuid(pool.Id),
                new NpgsqlParameter { Value = prefix.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
                Key(prefix.First),
                Key(prefix.Last),
                SmallInt(prefix.PrefixLength));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<AddressScope?> ReadScopeAsync(string sql, Guid id, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, Uuid(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadScope(reader) : null;
    }

    private async ValueTask<SubnetPool?> ReadPoolAsync(string sql, Guid id, CancellationToken cancellationToken)
    {
        SubnetPool pool;
        await using (var command = Command(sql, Uuid(id)))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            pool = ReadPool(reader);
        }

        return pool with { Prefixes = await ReadPoolPrefixesAsync(id, pool.Version, cancellationToken).ConfigureAwait(false) };
    }

    private async ValueTask<List<Cidr>> ReadPoolPrefixesAsync(Guid poolId, IpVersion version, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT first_ip, prefix_length FROM subnet_pool_prefixes WHERE subnet_pool_id = $1 ORDER BY first_ip", Uuid(poolId));
        var prefixes = new List<Cidr>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            prefixes.Add(new Cidr(IpAddress.FromKey(version, (byte[])reader[0]), reader.GetInt16(1)));
        }

        return prefixes;
    }

    private static async ValueTask<Cidr?> ReadCidrAsync(NpgsqlCommand command, IpVersion version, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Cidr(IpAddress.FromKey(version, (byte[])reader[0]), reader.GetInt16(1))
            : null;
    }

    private static AddressScope ReadScope(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Name = reader.GetString(1),
        Version = (IpVersion)reader.GetInt16(2),
        TenantId = reader.IsDBNull(3) ? null : reader.GetString(3),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
    };

    /// <summary>Reads the pool row; its prefixes are read separately (one reader per connection at a time).</summary>
    private static SubnetPool ReadPool(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Name = reader.GetString(1),
        Version = (IpVersion)reader.GetInt16(2),
        DefaultPrefixLength = reader.GetInt16(3),
        MinPrefixLength = reader.GetInt16(4),
        MaxPrefixLength = reader.GetInt16(5),
        DefaultQuota = reader.IsDBNull(6) ? null : reader.GetInt64(6),
        AddressScopeId = reader.IsDBNull(7) ? null : reader.GetGuid(7),
        TenantId = reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        Revision = reader.GetInt64(10),
        Prefixes = [],
    };

    private static NpgsqlParameter SmallInt(int value) => new() { Value = (short)value, NpgsqlDbType = NpgsqlDbType.Smallint };
}
