namespace Ipam.Storage.Postgres;

/// <summary>
/// The statements of the PostgreSQL store: named parameters (<c>@name</c>), except the hot statements,
/// which take positional ones (<c>$1</c>) in the order <see cref="SqlText"/> documents. Transactions run
/// concurrently here, so single-row reads can lock their row (FOR UPDATE): prefix allocations, quota checks
/// and changes of one pool, and pool changes within one scope, run one at a time and see committed rows.
/// </summary>
internal static class PostgresSql
{
    /// <summary>
    /// A page of a subnet's allocations in address order. <c>$2</c> is never NULL (an empty bytea sorts before
    /// every key), so the bound is a range on the primary key instead of a filter.
    /// </summary>
    public const string ListAllocationsSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    /// <summary>
    /// The same, by owner: <c>a.owner = $4</c> implies the partial index's <c>owner IS NOT NULL</c>, so the
    /// page can be read from <c>allocations_owner</c> in address order.
    /// </summary>
    public const string ListAllocationsByOwnerSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.owner = $4 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    private const string SubnetColumns =
        "id, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision, reuse_cooldown_seconds";

    private const string AllocationColumns = "ip, owner, description, created_at, expires_at, created_by";

    private const string ChangeColumns = "at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since, before, after";

    /// <summary>The advisory lock key that orders the change log's appends.</summary>
    private const long ChangeLogLock = 0x1BA3_C4A9_0001;

    private const string TokenColumns = "id, name, role, tenant_id, secret_hash, created_at, expires_at, revoked_at, created_by";

    private const string ScopeColumns = "id, name, ip_version, tenant_id, created_at";

    private const string PoolColumns =
        "id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision";

    public static SqlText Text { get; } = new()
    {
        ForUpdate = " FOR UPDATE",
        SelectSubnet = $"SELECT {SubnetColumns} FROM subnets WHERE id = @id",
        SelectAllocationPools = "SELECT first_ip, last_ip FROM allocation_pools WHERE subnet_id = @subnet ORDER BY first_ip",
        // Allocations never block each other, but a concurrent pool or gateway update (or a delete) waits
        // until this unit commits, so it validates against committed rows.
        SelectSubnetRevision = "SELECT revision FROM subnets WHERE id = $1 FOR SHARE",
        SelectSubnets = $"""
            SELECT {SubnetColumns} FROM subnets
            WHERE (@after::uuid IS NULL OR id > @after)
              AND (@pool::uuid IS NULL OR subnet_pool_id = @pool)
              AND (@tenant::text IS NULL OR tenant_id = @tenant)
              AND (@version::smallint IS NULL OR ip_version = @version)
            ORDER BY id LIMIT @limit
            """,
        InsertSubnet = """
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision, reuse_cooldown_seconds)
            VALUES (@id, @cidr::cidr, @version, @network, @prefix, @gateway, @mode, @name, @tenant, @pool, @created, @revision, @cooldown)
            """,
        InsertAllocationPool = "INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES (@subnet, @first, @last)",
        UpdateSubnet = "UPDATE subnets SET name = @name, gateway = @gateway, revision = @revision, reuse_cooldown_seconds = @cooldown WHERE id = @id",
        DeleteAllocationPools = "DELETE FROM allocation_pools WHERE subnet_id = @subnet",
        DeleteSubnet = "DELETE FROM subnets WHERE id = @id",

        InsertAllocation = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """,
        // The subnet row is locked as SelectSubnetRevision locks it. When a pool or gateway update holds it, the
        // lock waits for that commit, then checks the row again: the new revision leaves it out.
        InsertAllocationAtRevision = """
            WITH subnet AS (SELECT id FROM subnets WHERE id = $1 AND revision = $8 FOR SHARE),
                 inserted AS (
                     INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
                     SELECT id, $2, $3, $4, $5, $6, $7 FROM subnet
                     ON CONFLICT (subnet_id, ip) DO NOTHING
                     RETURNING 1)
            SELECT (SELECT count(*) FROM subnet), (SELECT count(*) FROM inserted)
            """,
        SelectAllocation = $"SELECT {AllocationColumns} FROM allocations WHERE subnet_id = @subnet AND ip = @ip",
        SelectAllocatedAddresses = "SELECT ip FROM allocations WHERE subnet_id = $1 ORDER BY ip",
        ListAllocations = ListAllocationsSql,
        ListAllocationsByOwner = ListAllocationsByOwnerSql,
        DeleteAllocation = $"DELETE FROM allocations WHERE subnet_id = $1 AND ip = $2 RETURNING {AllocationColumns}",
        DeleteSubnetAllocations = $"DELETE FROM allocations WHERE subnet_id = $1 RETURNING {AllocationColumns}",
        DeleteExpiredAllocations = """
            DELETE FROM allocations a USING subnets s
            WHERE s.id = a.subnet_id AND a.expires_at IS NOT NULL AND a.expires_at <= $1 AND ($2::uuid IS NULL OR a.subnet_id = $2)
            RETURNING a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
            """,

        // SKIP LOCKED: the sweepers of several instances take different rows instead of waiting for each other,
        // and leave the subnets alone that a pool change or delete holds (it recounts their usage meanwhile);
        // the share lock keeps such a change out until this one commits, as it does for an allocation.
        SweepExpiredAllocations = """
            WITH due AS (
                SELECT a.subnet_id, a.ip, s.ip_version FROM allocations a JOIN subnets s ON s.id = a.subnet_id
                WHERE a.expires_at IS NOT NULL AND a.expires_at <= $2
                LIMIT $1 FOR UPDATE OF a SKIP LOCKED FOR SHARE OF s SKIP LOCKED)
            DELETE FROM allocations a USING due d
            WHERE a.subnet_id = d.subnet_id AND a.ip = d.ip
            RETURNING a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, d.ip_version
            """,
        CountAllocations = """
            SELECT count(*) FROM allocations
            WHERE subnet_id = @subnet AND (@first::bytea IS NULL OR ip BETWEEN @first AND @last)
            """,
        CountSubnetAllocations = """
            SELECT coalesce(sum(allocated), 0)::bigint, coalesce(sum(in_pools), 0)::bigint FROM subnet_usage WHERE subnet_id = @subnet
            """,
        // The shards become one row; the caller holds the subnet FOR UPDATE, so no allocation adds to one meanwhile.
        RecountSubnetUsage = $"""
            DELETE FROM subnet_usage WHERE subnet_id = @subnet;
            INSERT INTO subnet_usage (subnet_id, shard, allocated, in_pools)
            SELECT @subnet, 0, {UsageSql.Allocated("@subnet")}, {UsageSql.InPools("@subnet")}
            """,
        SelectUsageMismatches = UsageSql.Mismatches(
            "(SELECT coalesce(sum(u.allocated), 0)::bigint FROM subnet_usage u WHERE u.subnet_id = s.id)",
            "(SELECT coalesce(sum(u.in_pools), 0)::bigint FROM subnet_usage u WHERE u.subnet_id = s.id)"),
        CountSubnets = "SELECT count(*) FROM subnets",
        CountPoolSubnets = "SELECT count(*) FROM subnets WHERE subnet_pool_id = @pool",
        CountScopeSubnetPools = "SELECT count(*) FROM subnet_pools WHERE address_scope_id = @scope",

        SelectIdempotencyRecord = "SELECT fingerprint, response, created_at FROM idempotency_keys WHERE subnet_id = @subnet AND actor = @actor AND key = @key",
        InsertIdempotencyRecord = """
            INSERT INTO idempotency_keys (subnet_id, actor, key, fingerprint, response, created_at)
            VALUES (@subnet, @actor, @key, @fingerprint, @response, @created)
            """,
        DeleteIdempotencyRecordsBefore = "DELETE FROM idempotency_keys WHERE created_at < @cutoff",

        SelectAddressScope = $"SELECT {ScopeColumns} FROM address_scopes WHERE id = @id",
        SelectAddressScopes = $"""
            SELECT {ScopeColumns} FROM address_scopes
            WHERE (@after::uuid IS NULL OR id > @after)
              AND (@version::smallint IS NULL OR ip_version = @version)
              AND (@visible::text IS NULL OR tenant_id = @visible OR tenant_id IS NULL)
            ORDER BY id LIMIT @limit
            """,
        InsertAddressScope = "INSERT INTO address_scopes (id, name, ip_version, tenant_id, created_at) VALUES (@id, @name, @version, @tenant, @created)",
        DeleteAddressScope = "DELETE FROM address_scopes WHERE id = @id",
        SelectScopePrefixOverlap = """
            SELECT p.subnet_pool_id, p.first_ip AS network, p.prefix_length
            FROM subnet_pool_prefixes p JOIN subnet_pools sp ON sp.id = p.subnet_pool_id
            WHERE sp.address_scope_id = @scope AND p.subnet_pool_id <> @pool
              AND p.first_ip <= @last AND p.last_ip >= @first
            ORDER BY p.first_ip LIMIT 1
            """,

        SelectSubnetPool = $"SELECT {PoolColumns} FROM subnet_pools WHERE id = @id",
        SelectSubnetPoolPrefixes = "SELECT first_ip AS network, prefix_length FROM subnet_pool_prefixes WHERE subnet_pool_id = @pool ORDER BY first_ip",
        SelectSubnetPools = $"""
            SELECT {PoolColumns} FROM subnet_pools
            WHERE (@after::uuid IS NULL OR id > @after)
              AND (@scope::uuid IS NULL OR address_scope_id = @scope)
              AND (@tenant::text IS NULL OR tenant_id = @tenant)
              AND (@visible::text IS NULL OR tenant_id = @visible OR tenant_id IS NULL)
              AND (@version::smallint IS NULL OR ip_version = @version)
            ORDER BY id LIMIT @limit
            """,
        InsertSubnetPool = """
            INSERT INTO subnet_pools (id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision)
            VALUES (@id, @name, @version, @default, @min, @max, @quota, @scope, @tenant, @created, @revision)
            """,
        InsertSubnetPoolPrefix = """
            INSERT INTO subnet_pool_prefixes (subnet_pool_id, cidr, first_ip, last_ip, prefix_length)
            VALUES (@pool, @cidr::cidr, @first, @last, @length)
            """,
        UpdateSubnetPool = """
            UPDATE subnet_pools
            SET name = @name, default_prefixlen = @default, min_prefixlen = @min, max_prefixlen = @max,
                default_quota = @quota, address_scope_id = @scope, revision = @revision
            WHERE id = @id
            """,
        DeleteSubnetPoolPrefixes = "DELETE FROM subnet_pool_prefixes WHERE subnet_pool_id = @pool",
        DeleteSubnetPool = "DELETE FROM subnet_pools WHERE id = @id",
        SelectPoolSubnetCidrs = "SELECT network, prefix_length FROM subnets WHERE subnet_pool_id = @pool ORDER BY network",
        SelectPoolSubnetStartingInside = """
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = @pool AND network >= @first AND network <= @last
            ORDER BY network LIMIT 1
            """,
        SelectPoolSubnetStartingBefore = """
            SELECT network, prefix_length FROM subnets
            WHERE subnet_pool_id = @pool AND network < @first
            ORDER BY network DESC LIMIT 1
            """,
        CountPoolSubnetsByPrefixLength =
            "SELECT prefix_length, count(*) AS count FROM subnets WHERE subnet_pool_id = @pool AND tenant_id = @tenant GROUP BY prefix_length",
        CountPoolSubnetsByPrefixLengthWithoutTenant =
            "SELECT prefix_length, count(*) AS count FROM subnets WHERE subnet_pool_id = @pool AND tenant_id IS NULL GROUP BY prefix_length",

        // The lock (see migration 0004) is taken before the first row gets its seq and held until commit.
        AppendChanges = $"""
            WITH commit_order AS (SELECT pg_advisory_xact_lock({ChangeLogLock}))
            INSERT INTO changes ({ChangeColumns})
            SELECT c.at, c.type, c.actor, c.tenant_id, c.subnet_id, c.resource_id, c.ip_address, c.cidr, c.reason,
                   c.held_since, c.before, c.after
            FROM commit_order,
                 unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
                        $9::text[], $10::timestamptz[], $11::text[], $12::text[])
                     WITH ORDINALITY AS c(at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since,
                                          before, after, n)
            ORDER BY c.n
            """,
        SelectChanges = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE seq > @after AND (@tenant::text IS NULL OR tenant_id = @tenant)
            ORDER BY seq LIMIT @limit
            """,
        SelectAllocationChanges = """
            SELECT seq, type, at, ip_address, subnet_id FROM changes
            WHERE seq > $1 AND ip_address IS NOT NULL
            ORDER BY seq LIMIT $2
            """,
        SelectRecentSubnetAllocationEnds = """
            SELECT seq, type, at, ip_address, subnet_id FROM changes
            WHERE subnet_id = $1 AND type IN ('allocation.released', 'allocation.expired') AND at >= $2
            ORDER BY seq
            """,
        SelectLastChangeSequence = "SELECT coalesce(max(seq), 0) FROM changes",
        SelectDatabaseTime = "SELECT clock_timestamp()",
        DeleteChangesBefore = """
            DELETE FROM changes WHERE seq IN (
                SELECT seq FROM (SELECT seq, at FROM changes ORDER BY seq LIMIT @limit) oldest WHERE at < @cutoff)
              AND seq < (SELECT max(seq) FROM changes)
            """,

        SelectAllocationEnds = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE ip_address = @ip AND seq < @before AND subnet_id = @subnet
              AND type IN ('allocation.released', 'allocation.expired')
            ORDER BY seq DESC LIMIT @limit
            """,
        SelectAllocationEndsSpanning = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE ip_address = @ip AND type IN ('allocation.released', 'allocation.expired')
              AND held_since <= @at AND at > @at AND (@tenant::text IS NULL OR tenant_id = @tenant)
            ORDER BY seq
            """,
        // One probe of subnets_network per prefix length, then the allocation's key.
        SelectAddressHolders = """
            SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.id AS subnet_id, s.ip_version,
                   s.network, s.prefix_length
            FROM jsonb_array_elements(@networks::jsonb) AS n(value)
            JOIN subnets s ON s.network = decode(n.value->>0, 'hex') AND s.prefix_length = (n.value->>1)::smallint
            JOIN allocations a ON a.subnet_id = s.id AND a.ip = @ip
            WHERE s.ip_version = @version AND (@tenant::text IS NULL OR s.tenant_id = @tenant)
            ORDER BY s.id
            """,
        ListOwnerAllocations = """
            SELECT a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
            FROM allocations a JOIN subnets s ON s.id = a.subnet_id
            WHERE a.owner = @owner AND (a.subnet_id, a.ip) > (@subnet, @after) AND (@tenant::text IS NULL OR s.tenant_id = @tenant)
            ORDER BY a.subnet_id, a.ip LIMIT @limit
            """,

        SelectToken = $"SELECT {TokenColumns} FROM tokens WHERE id = @id",
        SelectTokens = $"SELECT {TokenColumns} FROM tokens WHERE (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT @limit",
        InsertToken = $"INSERT INTO tokens ({TokenColumns}) VALUES (@id, @name, @role, @tenant, @hash, @created, @expires, NULL, @by)",
        RevokeToken = "UPDATE tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
    };
}
