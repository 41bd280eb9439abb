using Ipam.Addressing;
using Ipam.SubnetPools;
using Ipam.Scopes;
using Microsoft.Data.Sqlite;
using static Ipam.Storage.Sqlite.SqliteValues;

namespace Ipam.Storage.Sqlite;

/// <summary>Address scopes, subnet pools and the subnets allocated from them.</summary>
internal sealed partial class SqliteSession
{
    private const string ScopeColumns = "id, name, ip_version, tenant_id, created_at";

    private const string PoolColumns =
        "id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision";

    public ValueTask<AddressScope?> FindAddressScopeAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command($"SELECT {ScopeColumns} FROM address_scopes WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? ReadScope(reader) : null);
    }

    // The single writer runs one unit of work at a time, so reading the row is all the locking needed.
    public ValueTask<AddressScope?> LockAddressScopeAsync(Guid id, CancellationToken cancellationToken) =>
        FindAddressScopeAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<AddressScope>> ListAddressScopesAsync(AddressScopeQuery query, CancellationToken cancellationToken)
    {
        var command = Command($"""
            SELECT {ScopeColumns} FROM address_scopes
            WHERE ($after IS NULL OR id > $after)
              AND ($version IS NULL OR ip_version = $version)
            ORDER BY id LIMIT $limit
            """);
        command.Parameters.AddWithValue("$after", OrNull(query.After is { } after ? Id(after) : null));
        command.Parameters.AddWithValue("$version", OrNull(query.IpVersion is { } v ? (int)v : null));
        command.Parameters.AddWithValue("$limit", query.Limit);
        var scopes = new List<AddressScope>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                scopes.Add(ReadScope(reader));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<AddressScope>>(scopes);
    }

    public ValueTask InsertAddressScopeAsync(AddressScope scope, CancellationToken cancellationToken)
    {
        var command = Command("""
            INSERT INTO address_scopes (id, name, ip_version, tenant_id, created_at)
            VALUES ($id, $name, $version, $tenant, $created)
            """);
        command.Parameters.AddWithValue("$id", Id(scope.Id));
        command.Parameters.AddWithValue("$name", scope.Name);
        command.Parameters.AddWithValue("$version", (int)scope.Version);
        command.Parameters.AddWithValue("$tenant", OrNull(scope.TenantId));
        command.Parameters.AddWithValue("$created", Time(scope.CreatedAt));
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAddressScopeAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM address_scopes WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        return ValueTask.FromResult(command.ExecuteNonQuery() > 0);
    }

    public ValueTask<long> CountScopeSubnetPoolsAsync(Guid addressScopeId, CancellationToken cancellationToken)
    {
        var command = Command("SELECT count(*) FROM subnet_pools WHERE address_scope_id = $scope");
        command.Parameters.AddWithValue("$scope", Id(addressScopeId));
        return ValueTask.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public ValueTask<(Guid SubnetPoolId, Cidr Prefix)?> FindScopePrefixOverlappingAsync(
        Guid addressScopeId, Guid exceptSubnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        var command = Command("""
            SELECT p.subnet_pool_id, p.first_ip, p.prefix_length
            FROM subnet_pool_prefixes p JOIN subnet_pools sp ON sp.id = p.subnet_pool_id
            WHERE sp.address_scope_id = $scope AND p.subnet_pool_id <> $pool
              AND p.first_ip <= $last AND p.last_ip >= $first
            ORDER BY p.first_ip LIMIT 1
            """);
        command.Parameters.AddWithValue("$scope", Id(addressScopeId));
        command.Parameters.AddWithValue("$pool", Id(exceptSubnetPoolId));
        command.Parameters.AddWithValue("$first", Key(range.First));
        command.Parameters.AddWithValue("$last", Key(range.Last));
        using var reader = command.ExecuteReader();
        (Guid, Cidr)? found = reader.Read()
            ? (Id(reader.GetString(0)), new Cidr(Address(range.Version, (byte[])reader[1]), reader.GetInt32(2)))
            : null;
        return ValueTask.FromResult(found);
    }

    public ValueTask<SubnetPool?> FindSubnetPoolAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command($"SELECT {PoolColumns} FROM subnet_pools WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? ReadPool(reader) : null);
    }

    // The single writer runs one unit of work at a time, so reading the row is all the locking needed.
    public ValueTask<SubnetPool?> LockSubnetPoolAsync(Guid id, CancellationToken cancellationToken) =>
        FindSubnetPoolAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<SubnetPool>> ListSubnetPoolsAsync(SubnetPoolQuery query, CancellationToken cancellationToken)
    {
        var command = Command($"""
            SELECT {PoolColumns} FROM subnet_pools
            WHERE ($after IS NULL OR id > $after)
              AND ($scope IS NULL OR address_scope_id = $scope)
              AND ($tenant IS NULL OR tenant_id = $tenant)
              AND ($version IS NULL OR ip_version = $version)
            ORDER BY id LIMIT $limit
            """);
        command.Parameters.AddWithValue("$after", OrNull(query.After is { } after ? Id(after) : null));
        command.Parameters.AddWithValue("$scope", OrNull(query.AddressScopeId is { } scope ? Id(scope) : null));
        command.Parameters.AddWithValue("$tenant", OrNull(query.TenantId));
        command.Parameters.AddWithValue("$version", OrNull(query.IpVersion is { } v ? (int)v : null));
        command.Parameters.AddWithValue("$limit", query.Limit);
        var pools = new List<SubnetPool>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                pools.Add(ReadPool(reader));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<SubnetPool>>(pools);
    }

    public ValueTask InsertSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        var command = Command("""
            INSERT INTO subnet_pools (id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision)
            VALUES ($id, $name, $version, $default, $min, $max, $quota, $scope, $tenant, $created, $revision)
            """);
        command.Parameters.AddWithValue("$id", Id(pool.Id));
        command.Parameters.AddWithValue("$name", pool.Name);
        command.Parameters.AddWithValue("$version", (int)pool.Version);
        command.Parameters.AddWithValue("$default", pool.DefaultPrefixLength);
        command.Parameters.AddWithValue("$min", pool.MinPrefixLength);
        command.Parameters.AddWithValue("$max", pool.MaxPrefixLength);
        command.Parameters.AddWithValue("$quota", OrNull(pool.DefaultQuota));
        command.Parameters.AddWithValue("$scope", OrNull(pool.AddressScopeId is { } scope ? Id(scope) : null));
        command.Parameters.AddWithValue("$tenant", OrNull(pool.TenantId));
        command.Parameters.AddWithValue("$created", Time(pool.CreatedAt));
        command.Parameters.AddWithValue("$revision", pool.Revision);
        command.ExecuteNonQuery();
        InsertPoolPrefixes(pool);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken)
    {
        var command = Command("""
            UPDATE subnet_pools
            SET name = $name, default_prefixlen = $default, min_prefixlen = $min, max_prefixlen = $max,
                default_quota = $quota, address_scope_id = $scope, revision = $revision
            WHERE id = $id
            """);
        command.Parameters.AddWithValue("$id", Id(pool.Id));
        command.Parameters.AddWithValue("$name", pool.Name);
        command.Parameters.AddWithValue("$default", pool.DefaultPrefixLength);
        command.Parameters.AddWithValue("$min", pool.MinPrefixLength);
        command.Parameters.AddWithValue("$max", pool.MaxPrefixLength);
        command.Parameters.AddWithValue("$quota", OrNull(pool.DefaultQuota));
        command.Parameters.AddWithValue("$scope", OrNull(pool.AddressScopeId is { } scope ? Id(scope) : null));
        command.Parameters.AddWithValue("$revision", pool.Revision);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new Errors.SubnetPoolNotFoundException(pool.Id);
        }

        var delete = Command("DELETE FROM subnet_pool_prefixes WHERE subnet_pool_id = $id");
        delete.Parameters.AddWithValue("$id", Id(pool.Id));
        delete.ExecuteNonQuery();
        InsertPoolPrefixes(pool);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteSubnetPoolAsync(Guid id, CancellationToken cancellationToken)
    {
        var command = Command("DELETE FROM subnet_pools WHERE id = $id");
        command.Parameters.AddWithValue("$id", Id(id));
        return ValueTask.FromResult(command.ExecuteNonQuery() > 0);
    }

    public ValueTask<long> CountPoolSubnetsAsync(Guid subnetPoolId, CancellationToken cancellationToken)
    {
        var command = Command("SELECT count(*) FROM subnets WHERE subnet_pool_id = $pool");
        command.Parameters.AddWithValue("$pool", Id(subnetPoolId));
        return ValueTask.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsAsync(Guid subnetPoolId, IpVersion version, CancellationToken cancellationToken)
    {
        var command = Command("SELECT network, prefix_length FROM subnets WHERE subnet_pool_id = $pool ORDER BY network");
        command.Parameters.AddWithValue("$pool", Id(subnetPoolId));
        var cidrs = new List<Cidr>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                cidrs.Add(new Cidr(Address(version, (byte[])reader[0]), reader.GetInt32(1)));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Cidr>>(cidrs);
    }

    public ValueTask<Cidr?> FindPoolSubnetOverlappingAsync(Guid subnetPoolId, AddressRange range, CancellationToken cancellationToken)
    {
        // A subnet starting inside the range overlaps it.
        var inside = Command("""
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = $pool AND network >= $first AND network <= $last
            ORDER BY network LIMIT 1
            """);
        inside.Parameters.AddWithValue("$pool", Id(subnetPoolId));
        inside.Parameters.AddWithValue("$first", Key(range.First));
        inside.Parameters.AddWithValue("$last", Key(range.Last));
        var found = ReadCidr(inside, range.Version);
        if (found is not null)
        {
            return ValueTask.FromResult(found);
        }

        // Otherwise only the last subnet starting before the range can reach into it (pool subnets never overlap).
        var before = Command("""
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = $pool AND network < $first
            ORDER BY network DESC LIMIT 1
            """);
        before.Parameters.AddWithValue("$pool", Id(subnetPoolId));
        before.Parameters.AddWithValue("$first", Key(range.First));
        found = ReadCidr(before, range.Version);
        return ValueTask.FromResult(found is { } preceding && preceding.Last.Value >= range.First.Value ? found : null);
    }

    public ValueTask<IReadOnlyList<(int PrefixLength, long Count)>> CountPoolSubnetsByPrefixLengthAsync(
        Guid subnetPoolId, string? tenantId, CancellationToken cancellationToken)
    {
        var command = Command(tenantId is null
            ? "SELECT prefix_length, count(*) FROM subnets WHERE subnet_pool_id = $pool AND tenant_id IS NULL GROUP BY prefix_length"
            : "SELECT prefix_length, count(*) FROM subnets WHERE subnet_pool_id = $pool AND tenant_id = $tenant GROUP BY prefix_length");
        command.Parameters.AddWithValue("$pool", Id(subnetPoolId));
        if (tenantId is not null)
        {
            command.Parameters.AddWithValue("$tenant", tenantId);
        }

        var counts = new List<(int, long)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                counts.Add((reader.GetInt32(0), reader.GetInt64(1)));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<(int, long)>>(counts);
    }

    private void InsertPoolPrefixes(SubnetPool pool)
    {
        var command = Command("""
            INSERT INTO subnet_pool_prefixes (subnet_pool_id, cidr, first_ip, last_ip, prefix_length)
            VALUES ($pool, $cidr, $first, $last, $length)
            """);
        foreach (var prefix in pool.Prefixes)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$pool", Id(pool.Id));
            command.Parameters.AddWithValue("$cidr", prefix.ToString());
            command.Parameters.AddWithValue("$first", Key(prefix.First));
            command.Parameters.AddWithValue("$last", Key(prefix.Last));
            command.Parameters.AddWithValue("$length", prefix.PrefixLength);
            command.ExecuteNonQuery();
        }
    }

    private static AddressScope ReadScope(SqliteDataReader reader) => new()
    {
        Id = Id(reader.GetString(0)),
        Name = reader.GetString(1),
        Version = (IpVersion)reader.GetInt32(2),
        TenantId = reader.IsDBNull(3) ? null : reader.GetString(3),
        CreatedAt = Time(reader.GetString(4)),
    };

    private SubnetPool ReadPool(SqliteDataReader reader)
    {
        var id = Id(reader.GetString(0));
        var version = (IpVersion)reader.GetInt32(2);
        return new SubnetPool
        {
            Id = id,
            Name = reader.GetString(1),
            Version = version,
            DefaultPrefixLength = reader.GetInt32(3),
            MinPrefixLength = reader.GetInt32(4),
            MaxPrefixLength = reader.GetInt32(5),
            DefaultQuota = reader.IsDBNull(6) ? null : reader.GetInt64(6),
            AddressScopeId = reader.IsDBNull(7) ? null : Id(reader.GetString(7)),
            TenantId = reader.IsDBNull(8) ? null : reader.GetString(8),
            CreatedAt = Time(reader.GetString(9)),
            Revision = reader.GetInt64(10),
            Prefixes = ReadPoolPrefixes(id, version),
        };
    }

    private List<Cidr> ReadPoolPrefixes(Guid poolId, IpVersion version)
    {
        var command = Command("SELECT first_ip, prefix_length FROM subnet_pool_prefixes WHERE subnet_pool_id = $pool ORDER BY first_ip");
        command.Parameters.AddWithValue("$pool", Id(poolId));
        var prefixes = new List<Cidr>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            prefixes.Add(new Cidr(Address(version, (byte[])reader[0]), reader.GetInt32(1)));
        }

        return prefixes;
    }

    private static Cidr? ReadCidr(SqliteCommand command, IpVersion version)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Cidr(Address(version, (byte[])reader[0]), reader.GetInt32(1)) : null;
    }
}
