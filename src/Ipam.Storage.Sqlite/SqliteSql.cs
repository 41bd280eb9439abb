namespace Ipam.Storage.Sqlite;

/// <summary>The statements of the SQLite store that differ from the shared ones in <see cref="SqlText"/>. Parameters are named (<c>$name</c>).</summary>
internal static class SqliteSql
{
    /// <summary>
    /// A page of a subnet's allocations in address order. <c>$after</c> is never NULL (an empty BLOB sorts
    /// before every key), so the bound is a range on the index instead of a filter.
    /// </summary>
    public const string ListAllocationsSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $subnet AND a.ip > $after
        ORDER BY a.ip LIMIT $limit
        """;

    /// <summary>
    /// The addresses whose allocation the change log past the owners' fold created or ended (migration 0024): the ones
    /// whose entry in <c>allocation_owners</c> may be out of date. A scan of the log's end by position.
    /// </summary>
    private const string OwnersTail = """
        owners_tail AS MATERIALIZED (
            SELECT subnet_id, ip FROM changes
            WHERE seq > (SELECT position FROM usage_fold)
              AND type IN ('allocation.created', 'allocation.released', 'allocation.expired'))
        """;

    /// <summary>
    /// The same, by owner (migration 0024): the owner's entries in address order, as many as the page plus the tail
    /// past the fold (every entry out of date is an address of that tail, so those are enough), and the tail's own
    /// addresses; of those, the allocations that have the owner now. CROSS JOIN keeps the candidates the outer loop:
    /// the planner would otherwise walk every allocation of the subnet and probe the candidates.
    /// </summary>
    public const string ListAllocationsByOwnerSql = $"""
        WITH {OwnersTail},
        candidates AS (
            SELECT ip FROM (
                SELECT ip FROM allocation_owners
                WHERE owner = $owner AND subnet_id = $subnet AND ip > $after
                ORDER BY ip LIMIT $limit + (SELECT count(*) FROM owners_tail))
            UNION
            SELECT ip FROM owners_tail WHERE subnet_id = $subnet AND ip > $after)
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM candidates c
        CROSS JOIN allocations a ON a.subnet_id = $subnet AND a.ip = c.ip
        JOIN subnets s ON s.id = a.subnet_id
        WHERE a.owner = $owner
        ORDER BY a.ip LIMIT $limit
        """;

    /// <summary>The change log's columns, which its statements here (the append among them) name.</summary>
    private const string ChangeColumns = SqlColumns.Change;

    /// <summary>
    /// Where the log of subnet <c>$subnet</c> starts: the last delete of its id (0 when it was never deleted), one probe
    /// of the index of deletes. A subnet's history and cooldown read only past it (see <see cref="SqlText.SelectAllocationEnds"/>).
    /// </summary>
    private const string SubnetIdFreed = """
        (SELECT coalesce(max(seq), 0) FROM changes INDEXED BY changes_subnet_deletes WHERE subnet_id = $subnet AND type = 'subnet.deleted')
        """;

    /// <summary>
    /// The positions one round of pruning deletes (see <see cref="SqlText.PruneChangesBefore"/>): among the oldest
    /// <c>$limit</c>, those before the first made at or after <c>$cutoff</c> (times of commits in order may be out of
    /// order by a little), before the last change, and folded into the usage counters.
    /// </summary>
    private const string PrunedRows = """
        SELECT seq FROM (SELECT seq FROM changes ORDER BY seq LIMIT $limit)
        WHERE seq < coalesce((SELECT min(seq) FROM (SELECT seq, at FROM changes ORDER BY seq LIMIT $limit) WHERE at >= $cutoff),
                             (SELECT max(seq) FROM changes))
          AND seq <= (SELECT position FROM usage_fold)
        """;

    /// <summary>The changes one fold takes (see <see cref="SqlText.FoldUsage"/>).</summary>
    private static readonly string FoldBatch = UsageSql.FoldBatch("$position", "$limit");

    /// <summary>
    /// The batch's creations and ends with the owner their snapshot names (after a creation, before an end). The owner is
    /// cast to TEXT, the affinity of <c>allocation_owners.owner</c>: given json_extract's result, which has none, SQLite
    /// 3.40 (Debian 12's) matches the row value (owner, subnet_id, ip) of <see cref="ForgetMovedOwners"/> by the key's
    /// first two columns only, and reads every entry of the owner in the subnet (9–11 ms for the delete of a fold of 800
    /// changes among 23,000 entries of one owner, against about 2 ms by the whole key). The bundled SQLite uses the whole
    /// key either way.
    /// </summary>
    private static readonly string OwnerMoves = $"""
        SELECT seq, type, subnet_id, ip, CAST(json_extract(coalesce(after, before), '$.owner') AS TEXT) AS owner FROM changes
        WHERE seq IN {FoldBatch} AND type IN ('allocation.created', 'allocation.released', 'allocation.expired')
        """;

    /// <summary>The first half of the owners' part of a fold (see <see cref="FoldOwners"/>): every entry that a creation or end in the batch names goes, each found by its whole key.</summary>
    internal static readonly string ForgetMovedOwners = $"""
        WITH moves AS MATERIALIZED ({OwnerMoves})
        DELETE FROM allocation_owners WHERE (owner, subnet_id, ip) IN (SELECT owner, subnet_id, ip FROM moves WHERE owner IS NOT NULL)
        """;

    /// <summary>The second half: each address whose last such change in the batch is a creation with an owner gets that owner's entry.</summary>
    internal static readonly string EnterLatestOwners = $"""
        WITH moves AS MATERIALIZED ({OwnerMoves})
        INSERT OR IGNORE INTO allocation_owners (owner, subnet_id, ip)
        SELECT owner, subnet_id, ip FROM (
            SELECT type, owner, subnet_id, ip, row_number() OVER (PARTITION BY subnet_id, ip ORDER BY seq DESC) AS latest FROM moves)
        WHERE latest = 1 AND type = 'allocation.created' AND owner IS NOT NULL
        """;

    /// <summary>
    /// The owners' part of a fold (migration 0024), from the batch <see cref="FoldBatch"/> names: the entries the batch's
    /// changes name go, then the latest owners come back. Changes of the reservation only (<c>allocation.updated</c>)
    /// never change the owner.
    /// </summary>
    private static readonly string FoldOwners = $"""
        {ForgetMovedOwners};
        {EnterLatestOwners};
        """;

    // The single writer runs one unit of work at a time, so reading a row is all the locking needed.
    public static SqlText Text { get; } = new()
    {
        ForUpdate = "",
        SelectSubnetRevision = "SELECT revision FROM subnets WHERE id = $id",
        SelectSubnets = $"""
            SELECT {SqlColumns.Subnet} FROM subnets
            WHERE id > coalesce($after, '')
              AND ($pool IS NULL OR subnet_pool_id = $pool)
              AND ($tenant IS NULL OR tenant_id = $tenant)
              AND ($version IS NULL OR ip_version = $version)
            ORDER BY id LIMIT $limit
            """,
        InsertSubnet = """
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision, reuse_cooldown_seconds)
            VALUES ($id, $cidr, $version, $network, $prefix, $gateway, $mode, $name, $tenant, $pool, $created, $revision, $cooldown)
            """,

        InsertAllocation = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            VALUES ($subnet, $ip, $owner, $description, $created, $expires, $by)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """,
        // One writer: nothing changes the subnet between the two statements. changes() counts the insert's own
        // rows, not those the usage counters' trigger writes.
        InsertAllocationAtRevision = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            SELECT $subnet, $ip, $owner, $description, $created, $expires, $by FROM subnets WHERE id = $subnet AND revision = $revision
            ON CONFLICT (subnet_id, ip) DO NOTHING;
            SELECT EXISTS (SELECT 1 FROM subnets WHERE id = $subnet AND revision = $revision), changes()
            """,
        SelectAllocatedAddresses = "SELECT ip FROM allocations WHERE subnet_id = $subnet ORDER BY ip",
        ListAllocations = ListAllocationsSql,
        ListAllocationsByOwner = ListAllocationsByOwnerSql,
        DeleteAllocation = $"DELETE FROM allocations WHERE subnet_id = $subnet AND ip = $ip RETURNING {SqlColumns.Allocation}",
        UpdateAllocation = $"""
            UPDATE allocations SET description = $description, expires_at = $expires
            WHERE subnet_id = $subnet AND ip = $ip AND created_at = $created AND description IS $was_description AND expires_at IS $was_expires
            RETURNING {SqlColumns.Allocation}
            """,
        RedateAllocation = "UPDATE allocations SET created_at = $created WHERE subnet_id = $subnet AND ip = $ip",
        SelectAllocationEndedAfter = """
            SELECT EXISTS (SELECT 1 FROM changes INDEXED BY changes_address
                WHERE ip_address = $ip AND subnet_id = $subnet AND type IN ('allocation.released', 'allocation.expired') AND at > $at)
            """,
        DeleteSubnetAllocations = $"DELETE FROM allocations WHERE subnet_id = $subnet RETURNING {SqlColumns.Allocation}",
        DeleteExpiredAllocations = $"""
            DELETE FROM allocations
            WHERE expires_at IS NOT NULL AND expires_at <= $now AND ($subnet IS NULL OR subnet_id = $subnet)
            RETURNING subnet_id, {SqlColumns.Allocation}, (SELECT ip_version FROM subnets s WHERE s.id = allocations.subnet_id) AS ip_version
            """,

        // The time in the stored format (SqliteValues.Time): %f gives milliseconds, padded to ticks.
        SweepExpiredAllocations = $"""
            DELETE FROM allocations
            WHERE (subnet_id, ip) IN (
                SELECT subnet_id, ip FROM allocations
                WHERE expires_at IS NOT NULL AND expires_at <= $now
                LIMIT $limit)
            RETURNING subnet_id, {SqlColumns.Allocation}, (SELECT ip_version FROM subnets s WHERE s.id = allocations.subnet_id) AS ip_version
            """,
        CountAllocations = """
            SELECT count(*) FROM allocations
            WHERE subnet_id = $subnet AND ($first IS NULL OR ip BETWEEN $first AND $last)
            """,
        CountSubnetAllocations = UsageSql.Usage("$subnet"),
        CountAllocationsOfSubnets = UsageSql.UsageOfSubnets("SELECT value FROM json_each($ids)"),
        RecountSubnetUsage = $"""
            INSERT INTO subnet_usage (subnet_id, allocated, in_pools, counted_through)
            SELECT s.id, {UsageSql.Allocated("s.id")}, {UsageSql.InPools("s.id")}, coalesce((SELECT max(seq) FROM changes), 0)
            FROM subnets s WHERE s.id = $subnet
            ON CONFLICT (subnet_id) DO UPDATE
            SET allocated = excluded.allocated, in_pools = excluded.in_pools, counted_through = excluded.counted_through
            """,
        CountOwnerEntryMismatches = $"""
            WITH {OwnersTail}
            SELECT
                (SELECT count(*) FROM allocations a
                 WHERE a.owner IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM allocation_owners o WHERE o.owner = a.owner AND o.subnet_id = a.subnet_id AND o.ip = a.ip)
                   AND NOT EXISTS (SELECT 1 FROM owners_tail t WHERE t.subnet_id = a.subnet_id AND t.ip = a.ip))
              + (SELECT count(*) FROM allocation_owners o
                 WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.subnet_id = o.subnet_id AND a.ip = o.ip AND a.owner = o.owner)
                   AND NOT EXISTS (SELECT 1 FROM owners_tail t WHERE t.subnet_id = o.subnet_id AND t.ip = o.ip))
            """,
        // The allocations as they are: what the fold would have set for an address the log past it leaves alone, and as
        // good as any for one it touches (see migration 0024).
        RebuildOwnerEntries = """
            DELETE FROM allocation_owners;
            INSERT INTO allocation_owners (owner, subnet_id, ip) SELECT owner, subnet_id, ip FROM allocations WHERE owner IS NOT NULL
            """,
        // One writer: nothing else folds or recounts between the lock and the fold.
        LockUsageFold = "SELECT position FROM usage_fold",
        FoldUsage = $"""
            {FoldOwners}
            WITH net AS MATERIALIZED ({UsageSql.Net("$position", $"(SELECT max(seq) FROM {FoldBatch})")})
            UPDATE subnet_usage AS target
            SET allocated = target.allocated + net.allocated, in_pools = target.in_pools + net.in_pools
            FROM net WHERE target.subnet_id = net.subnet_id;
            UPDATE usage_fold SET position = (SELECT max(seq) FROM {FoldBatch}) WHERE EXISTS {FoldBatch};
            SELECT count(*) FROM {FoldBatch}
            """,

        SelectAddressScopes = $"""
            SELECT {SqlColumns.Scope} FROM address_scopes
            WHERE ($after IS NULL OR id > $after)
              AND ($version IS NULL OR ip_version = $version)
              AND ($tenant IS NULL OR tenant_id = $tenant)
              AND ($visible IS NULL OR tenant_id = $visible OR tenant_id IS NULL)
            ORDER BY id LIMIT $limit
            """,

        SelectSubnetPools = $"""
            SELECT {SqlColumns.Pool} FROM subnet_pools
            WHERE ($after IS NULL OR id > $after)
              AND ($scope IS NULL OR address_scope_id = $scope)
              AND ($tenant IS NULL OR tenant_id = $tenant)
              AND ($visible IS NULL OR tenant_id = $visible OR tenant_id IS NULL)
              AND ($version IS NULL OR ip_version = $version)
            ORDER BY id LIMIT $limit
            """,
        InsertAllocationPools = "INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES ($subnet, $first, $last)",
        InsertSubnetPoolPrefixes = """
            INSERT INTO subnet_pool_prefixes (subnet_pool_id, cidr, first_ip, last_ip, prefix_length)
            VALUES ($pool, $cidr, $first, $last, $length)
            """,

        AppendChanges = $"""
            INSERT INTO changes ({ChangeColumns}, ip)
            VALUES ($at, $type, $actor, $tenant, $subnet, $resource, $ip, $cidr, $reason, $held, $before, $after, $key)
            """,
        SelectChanges = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE seq > $after
            ORDER BY seq LIMIT $limit
            """,
        // One tenant's changes are read from changes_tenant, whatever the planner would guess: a range of the tenant's own.
        SelectTokenRevocation = $"""
            SELECT seq, {ChangeColumns} FROM changes INDEXED BY changes_token_revocations
            WHERE type = 'token.revoked' AND resource_id = $token AND seq > $after
            ORDER BY seq LIMIT 1
            """,
        SelectTenantChanges = $"""
            SELECT seq, {ChangeColumns} FROM changes INDEXED BY changes_tenant
            WHERE tenant_id = $tenant AND seq > $after
            ORDER BY seq LIMIT $limit
            """,
        SelectTenantTailStart = "SELECT seq FROM changes INDEXED BY changes_tenant WHERE tenant_id = $tenant ORDER BY seq DESC LIMIT 1 OFFSET $count",
        SelectAllocationChanges = """
            SELECT seq, type, at, ip_address, subnet_id FROM changes
            WHERE seq > $after AND ip_address IS NOT NULL
            ORDER BY seq LIMIT $limit
            """,
        SelectRecentSubnetAllocationEnds = $"""
            SELECT seq, type, at, ip_address, subnet_id FROM changes INDEXED BY changes_subnet_ends
            WHERE subnet_id = $subnet AND seq > {SubnetIdFreed} AND type IN ('allocation.released', 'allocation.expired') AND at >= $since
            ORDER BY seq
            """,
        NextRevision = "UPDATE revisions SET last = last + 1 RETURNING last",
        SelectDatabaseTime = null,
        // SQLite has no DELETE in a WITH: the same rows, three times, in the writer's transaction (nothing else writes).
        PruneChangesBefore = $"""
            UPDATE change_log_pruned SET position = max(position, coalesce((SELECT max(seq) FROM ({PrunedRows}) pruned), 0));
            INSERT INTO tenant_changes_pruned (tenant_id, position)
            SELECT tenant_id, max(seq) FROM changes WHERE seq IN ({PrunedRows}) AND tenant_id IS NOT NULL GROUP BY tenant_id
            ON CONFLICT (tenant_id) DO UPDATE SET position = max(position, excluded.position);
            DELETE FROM changes WHERE seq IN ({PrunedRows});
            SELECT changes();
            """,
        SelectChangeLogBounds = """
            SELECT coalesce((SELECT CASE WHEN $tenant IS NULL THEN position
                                    ELSE max(untracked_through, coalesce((SELECT position FROM tenant_changes_pruned WHERE tenant_id = $tenant), 0)) END
                             FROM change_log_pruned), 0),
                   (SELECT coalesce(max(seq), 0) FROM changes)
            """,

        // History reads the log by address: changes_address serves both, whatever the subnet's share of the log.
        SelectAllocationEnds = $"""
            SELECT seq, {ChangeColumns} FROM changes INDEXED BY changes_address
            WHERE ip_address = $ip AND seq < $before AND seq > {SubnetIdFreed} AND subnet_id = $subnet
              AND type IN ('allocation.released', 'allocation.expired')
            ORDER BY seq DESC LIMIT $limit
            """,
        SelectAllocationEndsSpanning = $"""
            SELECT seq, {ChangeColumns} FROM changes INDEXED BY changes_address
            WHERE ip_address = $ip AND type IN ('allocation.released', 'allocation.expired')
              AND held_since <= $at AND at > $at AND ($tenant IS NULL OR tenant_id = $tenant)
              AND (subnet_id, seq) > ($subnet, $seq)
            ORDER BY subnet_id, seq LIMIT $limit
            """,
        // One probe of subnets_network per prefix length (the pairs drive the join), then the allocation's key.
        SelectAddressHolders = """
            SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.id AS subnet_id, s.ip_version,
                   s.network, s.prefix_length
            FROM json_each($networks) n
            CROSS JOIN subnets s INDEXED BY subnets_network
            JOIN allocations a ON a.subnet_id = s.id AND a.ip = $ip
            WHERE s.network = unhex(json_extract(n.value, '$[0]')) AND s.prefix_length = json_extract(n.value, '$[1]')
              AND s.ip_version = $version AND ($tenant IS NULL OR s.tenant_id = $tenant)
              AND ($at IS NULL OR a.created_at <= $at) AND (s.id, 9223372036854775807) > ($subnet, $seq)
            ORDER BY s.id LIMIT $limit
            """,
        // As ListAllocationsByOwnerSql, across subnets: the tenant's entries are read as many as the page plus the tail.
        ListOwnerAllocations = $"""
            WITH {OwnersTail},
            candidates AS (
                SELECT subnet_id, ip FROM (
                    SELECT o.subnet_id, o.ip FROM allocation_owners o JOIN subnets s ON s.id = o.subnet_id
                    WHERE o.owner = $owner AND (o.subnet_id, o.ip) > ($subnet, $after) AND ($tenant IS NULL OR s.tenant_id = $tenant)
                    ORDER BY o.subnet_id, o.ip LIMIT $limit + (SELECT count(*) FROM owners_tail))
                UNION
                SELECT subnet_id, ip FROM owners_tail WHERE (subnet_id, ip) > ($subnet, $after))
            SELECT a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
            FROM candidates c
            CROSS JOIN allocations a ON a.subnet_id = c.subnet_id AND a.ip = c.ip
            JOIN subnets s ON s.id = a.subnet_id
            WHERE a.owner = $owner AND ($tenant IS NULL OR s.tenant_id = $tenant)
            ORDER BY a.subnet_id, a.ip LIMIT $limit
            """,

        SelectTokens = $"SELECT {SqlColumns.Token} FROM tokens WHERE ($after IS NULL OR id > $after) ORDER BY id LIMIT $limit",
    };
}
